// Command sdk is the small consumer program whose binary size
// internal/sizecheck/measure.sh sets against the plain twin in ../plain:
// NewClient and one page of Members.List.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func main() {
	c, err := posthogapi.NewClient(os.Getenv("POSTHOG_PERSONAL_API_KEY"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	org, err := uuid.Parse(os.Getenv("POSTHOG_ORGANIZATION_ID"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	page, err := c.Members.List(context.Background(), posthogapi.OrganizationID(org), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, m := range page.Results {
		fmt.Println(m.User.Email, m.Level)
	}
}

// Command plain is the twin of ../sdk written on net/http and encoding/json:
// one page of an organization's members, decoded into a struct of its own.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

type member struct {
	Level int `json:"level"`
	User  struct {
		Email string `json:"email"`
	} `json:"user"`
}

type page struct {
	Count   int      `json:"count"`
	Next    *string  `json:"next"`
	Results []member `json:"results"`
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		"https://us.posthog.com/api/organizations/"+os.Getenv("POSTHOG_ORGANIZATION_ID")+"/members/", nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("POSTHOG_PERSONAL_API_KEY"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, resp.Status)
		os.Exit(1)
	}
	var p page
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, m := range p.Results {
		fmt.Println(m.User.Email, m.Level)
	}
}

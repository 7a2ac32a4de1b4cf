package posthogapi

// Secrets never printed: every type whose String redacts, in every format.

import (
	"fmt"
	"go/ast"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// secretCanary is set in every secret field of TestSecretsRedactedInEveryFormat.
const secretCanary = "CANARY-s3cr3t-7f1d"

// redactingValues holds, for every type whose String redacts, a value with
// each of its secret fields set to secretCanary.
func redactingValues() []any {
	s := secretCanary
	aws := AWSCredentials{AccessKeyID: s, SecretAccessKey: s}
	dest := NewBatchExportDestination(PostgresConfig{User: s, Password: s, Host: "db"})
	dest.RawConfig = map[string]any{"password": s, "nested": map[string]any{"token": s}}
	return []any{
		S3Config{BucketName: "b", AWSAccessKeyID: s, AWSSecretAccessKey: s},
		SnowflakeConfig{User: s, Password: s, PrivateKey: s, PrivateKeyPassphrase: s},
		PostgresConfig{User: s, Password: s, Host: "db"},
		RedshiftConfig{User: s, Password: s, CopyInputs: &RedshiftCopyInputs{
			S3Bucket: "stage", BucketCredentials: &RedshiftCredentials{AWS: &aws},
		}},
		BigQueryConfig{PrivateKey: s, PrivateKeyID: s, ClientEmail: s, TokenURI: s},
		HTTPConfig{URL: "https://us.i.posthog.com/batch/", Token: s},
		aws,
		dest,
		IdentityProviderConfig{Name: "n", SCIMBearerToken: Ptr(s)},
		IdentityProviderConfigCreate{Name: Ptr("n"), SAMLX509Cert: Ptr(s), OIDCClientSecret: Ptr(s)},
		IdentityProviderConfigUpdate{Name: Ptr("n"), SAMLX509Cert: NewNullable(s), OIDCClientSecret: Ptr(s)},
		IdPSCIMToken{SCIMEnabled: true, SCIMBearerToken: s},
		OrganizationDomain{Domain: "example.com", SCIMBearerToken: Ptr(s)},
		SCIMToken{SCIMEnabled: true, SCIMBearerToken: s},
		ProjectSettings{SlackIncomingWebhook: NewNullable(s)},
		AWSS3IntegrationConfig{Name: "n", AccessKeyID: s, SecretAccessKey: s},
		S3CompatibleIntegrationConfig{Name: "n", EndpointURL: "https://r2.example", AccessKeyID: s, SecretAccessKey: s},
		IntegrationConfigMap{"host": "db", "password": s},
		ProjectCreate{Name: "p", ProjectSettings: ProjectSettings{SlackIncomingWebhook: NewNullable(s)}},
		ProjectUpdate{Name: Ptr("p"), ProjectSettings: ProjectSettings{SlackIncomingWebhook: NewNullable(s)}},
		Project{Name: "p", APIToken: "phc_public", SecretAPIToken: Ptr(s), SecretAPITokenBackup: Ptr(s), LiveEventsToken: Ptr(s), SlackIncomingWebhook: Ptr(s)},
	}
}

// TestSecretsRedactedInEveryFormat prints every type with a redacting
// String, its pointer, and values that hold one, with every verb: no
// output holds a secret, and %#v redacts what %v redacts. It also reads
// the package source: every type whose String redacts must have a
// GoString and be listed in redactingValues.
func TestSecretsRedactedInEveryFormat(t *testing.T) {
	values := redactingValues()
	listed := map[string]bool{}
	var all []any
	for _, v := range values {
		listed[reflect.TypeOf(v).Name()] = true
		p := reflect.New(reflect.TypeOf(v))
		p.Elem().Set(reflect.ValueOf(v))
		all = append(all, v, p.Interface())
	}
	s := secretCanary
	create := BatchExportCreate{Name: "n", Destination: NewBatchExportDestination(HTTPConfig{URL: "u", Token: s}), Interval: IntervalHour}
	all = append(all, create, &create, []any{values[0], values[len(values)-1]},
		RedshiftCredentials{AWS: &AWSCredentials{AccessKeyID: s, SecretAccessKey: s}},
		Page[IdentityProviderConfig]{Results: []IdentityProviderConfig{{SCIMBearerToken: Ptr(s)}}},
		Page[OrganizationDomain]{Results: []OrganizationDomain{{SCIMBearerToken: Ptr(s)}}},
		ProjectIntegrationCreate{Kind: ProjectIntegrationPostgreSQL, Config: IntegrationConfigMap{"password": s}},
		&ProjectIntegrationCreate{Kind: ProjectIntegrationAWSS3, Config: AWSS3IntegrationConfig{Name: "n", AccessKeyID: s, SecretAccessKey: s}},
		ProjectIntegrationCreate{Kind: ProjectIntegrationS3Compatible, Config: &S3CompatibleIntegrationConfig{Name: "n", EndpointURL: "e", AccessKeyID: s, SecretAccessKey: s}})
	for _, v := range all {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, secretCanary) {
				t.Errorf("%T with %s leaks: %s", v, verb, out)
			}
		}
	}
	for _, v := range values {
		if out := fmt.Sprintf("%#v", v); !strings.Contains(out, "[REDACTED]") || !strings.HasPrefix(out, "posthogapi.") {
			t.Errorf("%T %%#v = %s, want the type name and a redaction", v, out)
		}
	}
	if out := fmt.Sprint(values[len(values)-1]); !strings.Contains(out, "phc_public") {
		t.Errorf("Project hides its public token: %s", out)
	}

	redacting, goString := redactingTypes(t)
	if len(redacting) < len(values) {
		t.Fatalf("found %d redacting String methods in the source, %v; the scan is broken", len(redacting), redacting)
	}
	for _, name := range redacting {
		if !goString[name] {
			t.Errorf("%s has a redacting String but no GoString", name)
		}
		if !listed[name] {
			t.Errorf("%s has a redacting String but is not in redactingValues", name)
		}
	}
}

// redactingTypes reads the package source and returns the types whose
// String method redacts (calls a redacting helper or writes [REDACTED]) and
// the set of types with a GoString method.
func redactingTypes(t *testing.T) ([]string, map[string]bool) {
	t.Helper()
	_, files := parseLibrary(t)
	var redacting []string
	goString := map[string]bool{}
	for _, lf := range files {
		for _, d := range lf.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || fd.Body == nil {
				continue
			}
			rt := fd.Recv.List[0].Type
			if st, ok := rt.(*ast.StarExpr); ok {
				rt = st.X
			}
			id, ok := rt.(*ast.Ident)
			if !ok {
				continue
			}
			switch fd.Name.Name {
			case "GoString":
				goString[id.Name] = true
			case "String":
				redacts := false
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.Ident:
						if strings.Contains(strings.ToLower(n.Name), "redact") || n.Name == "configString" {
							redacts = true
						}
					case *ast.BasicLit:
						if strings.Contains(n.Value, "[REDACTED]") {
							redacts = true
						}
					}
					return true
				})
				if redacts {
					redacting = append(redacting, id.Name)
				}
			}
		}
	}
	sort.Strings(redacting)
	return redacting, goString
}

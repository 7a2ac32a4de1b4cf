// Package contract holds posthogapi's schema tests, in a module of their own
// so that the SDK's users never download what they need (kin-openapi and its
// dependencies). The tests drive every SDK method against posthogtest and
// validate each exchange against the parts of PostHog's OpenAPI schemas in
// testdata/; they also check that every operation the schemas and PostHog's
// reference pages list has a method, and every response field a struct
// field. The package has no API. Run the tests from this folder:
//
//	go test ./...
package contract

package posthogapi

// LegalDocumentsService manages legal documents (BAA, DPA): /api/organizations/{organization_id}/legal_documents/.
type LegalDocumentsService service

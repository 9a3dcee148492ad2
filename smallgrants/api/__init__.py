"""The read-only JSON API (`/api/v1`): what a coordinator's or an operator's personal access
token may read, through the same policies and "what this person may read" queries as the
pages, described by an OpenAPI 3.1 document (spectree over pydantic models)."""

"""Who reads the API: the holder of a usable token whose account may still make one (a
coordinator or a programme's operator). Which records: `organisations.policies.read_scope`
and each context's read predicate."""

from smallgrants.auth import policies as auth_policies


def can_use_api(user) -> bool:
    """Route guard of every API route but its document: a token reads while its owner may
    make tokens (a coordinator who lost the role keeps a token that answers 403)."""
    return auth_policies.can_make_api_tokens(user)

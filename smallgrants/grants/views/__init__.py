"""Grant screens, by audience: the grantee's grants and reports (`grantee`) and the
coordinator's terms, agreements, payments, reviews and monitoring (`manage`); one blueprint
and the pages both show (`blueprint`)."""

from smallgrants.grants.views import grantee, manage  # noqa: F401 - their routes
from smallgrants.grants.views.blueprint import bp

__all__ = ["bp"]

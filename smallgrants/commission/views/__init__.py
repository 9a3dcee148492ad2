"""Commission screens, by audience: the members' work (`members`), the coordinator's
composition, scoring, meeting, protocol and results (`manage`), and the public results page
(`public`); one blueprint (`blueprint`)."""

from smallgrants.commission.views import manage, members, public  # noqa: F401 - their routes
from smallgrants.commission.views.blueprint import bp

__all__ = ["bp"]

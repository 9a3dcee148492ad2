"""Grant holders: the organisations that own competitions, commissions, grants and projects,
and the coordinators who work for them. Every coordinator's right on an object is "works for
the organisation that holds it" (`policies.works_for`), and every coordinator's list is
"held by one of my organisations" (`queries.held_by_mine`)."""

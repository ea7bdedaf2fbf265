"""The council.toml format, written once: every key with its kind and description.

`attendtoolkit.policy.council` checks council files against it; schemas/council.schema.json is
generated from it. Checks that need the council folder (the logo file, a policy file) or arithmetic
(colour contrast) are in council.py.
"""

from __future__ import annotations

from attendtoolkit.policy.fields import Rows, Table, Text

HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"


def _colour(description: str) -> Text:
    return Text(description, pattern=HEX_COLOUR, wrong="'{value}' should be a colour like \"#1d70b8\".")


COUNCIL = Table(
    {
        "council": Table(
            {
                "name": Text("The council's name, as the handbook shows it."),
                "site_name": Text("The handbook's title; without it, the council's name."),
                "logo": Text("A file in council/.", pattern=r"\.(svg|png)$", ignore_case=True,
                             wrong="should be an .svg or .png file."),
                "policy": Text("dfe-national, swindon, knowsley, or a .toml file in council/."),
            },
            required=("name",),
        ),
        "colours": Table({"primary": _colour("The colour of the header and buttons; white text goes on it."),
                          "accent": _colour("The colour of links and highlights; white text goes on it.")}),
        "contacts": Rows(
            Table({"team": Text(), "for": Text("What to contact the team about."), "phone": Text(),
                   "email": Text(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", format="email",
                                 wrong="'{value}' is not an email address."),
                   "hours": Text()},
                  required=("team",)),
            "Teams a school can contact, shown on the handbook's contacts page.",
            wrong="should be a list of tables, each starting with a line like [[contacts]].",
        ),
        "links": Rows(
            Table({"title": Text(), "url": Text(pattern=r"^https://", wrong="should start with https://."),
                   "description": Text()},
                  required=("title", "url")),
            "Links to the council's own pages.",
            wrong="should be a list of tables, each starting with a line like [[links]].",
        ),
    },
    required=("council",),
    description="council/council.toml: the council's name, policy, colours, contacts and links. "
                "Check it with `attendtoolkit council check`.",
)

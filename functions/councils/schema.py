"""The councils' part of the OpenAPI description: the register's councils, a council's members and its invitations."""

from __future__ import annotations

from functions.councils.memberships import RESPONDENT_ROLES, ROLES
from functions.people.addresses import MAX_LENGTH as MAX_EMAIL
from functions.web.openapi import FORM_TOKEN, SESSION, error_responses, json_content
from model.questionnaire import Edition

ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$"  # what ids.new_id() makes; anything else names nobody


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "The council's code in the council register.",
    "schema": {"type": "string"},
}
PERSON_ID = {
    "name": "person_id",
    "in": "path",
    "required": True,
    "description": "The member's id, as the list of members gives it.",
    "schema": {"type": "string", "pattern": ID_PATTERN},
}
SUPER_USER_ONLY = (
    "Only the council's super-user, signed in with a verified second factor: a member gets 403, anyone outside the "
    "council (or a code the register does not have) 404."
)


def schemas(edition: Edition) -> dict:
    return {
        "Role": {"type": "string", "enum": list(ROLES), "description": "A person's role in a council."},
        "Council": {
            "type": "object",
            "description": "A council as the council register describes it.",
            "required": ["code", "name", "short_name", "type", "nation", "region"],
            "properties": {
                "code": {"type": "string"},
                "name": {"type": "string"},
                "short_name": {"type": "string"},
                "type": {"type": "string"},
                "nation": {"type": "string"},
                "region": {"type": "string"},
            },
        },
        "Member": {
            "type": "object",
            "description": "A member of a council, as its super-user sees them.",
            "required": ["person_id", "email", "name", "role", "respondent_role"],
            "additionalProperties": False,
            "properties": {
                "person_id": {"type": "string"},
                "email": {"type": "string"},
                "name": {"type": ["string", "null"]},
                "role": _ref("Role"),
                "respondent_role": {"anyOf": [{"type": "string", "enum": list(RESPONDENT_ROLES)}, {"type": "null"}]},
            },
        },
        "RoleChange": {
            "type": "object",
            "description": "The member's new role. Other properties are ignored.",
            "required": ["role"],
            "properties": {"role": _ref("Role")},
        },
        "Invitation": {
            "type": "object",
            "description": "Who to invite, and as what (a member unless it says otherwise). Other properties are ignored.",
            "required": ["email"],
            "properties": {
                "email": {
                    "type": "string",
                    "maxLength": MAX_EMAIL,
                    "description": "The address to invite, like name@council.gov.uk; only that address can accept.",
                },
                "role": _ref("Role"),
            },
        },
    }


def paths(edition: Edition) -> dict:
    """functions/councils/api.py's endpoints."""
    return {
        "/councils": {
            "get": {
                "operationId": "listCouncils",
                "summary": "Every council in the council register, by name, with the register's attribution",
                "responses": {
                    "200": {
                        "description": "The councils",
                        "content": json_content(
                            {
                                "type": "object",
                                "required": ["attribution", "councils"],
                                "properties": {
                                    "attribution": {"type": "string", "description": "Where the register comes from."},
                                    "councils": {"type": "array", "items": _ref("Council")},
                                },
                            }
                        ),
                    }
                },
            }
        },
        "/councils/{code}/members": {
            "get": {
                "operationId": "listMembers",
                "summary": "The council's members, super-users first, then by address",
                "description": SUPER_USER_ONLY,
                "security": SESSION,
                "parameters": [CODE],
                "responses": {
                    "200": {
                        "description": "The members",
                        "content": json_content(
                            {
                                "type": "object",
                                "required": ["council", "members"],
                                "properties": {
                                    "council": {"type": "string"},
                                    "members": {"type": "array", "items": _ref("Member")},
                                },
                            }
                        ),
                    },
                    **error_responses(401, 403, 404),
                },
            }
        },
        "/councils/{code}/members/{person_id}": {
            "patch": {
                "operationId": "changeMemberRole",
                "summary": "Change a member's role",
                "description": SUPER_USER_ONLY + " A person who is not a member of the council gets 404; a change "
                "that would leave the council without a super-user gets 409.",
                "security": SESSION,
                "parameters": [CODE, PERSON_ID, FORM_TOKEN],
                "requestBody": {"required": True, "content": json_content(_ref("RoleChange"))},
                "responses": {
                    "200": {
                        "description": "Changed",
                        "content": json_content(
                            {
                                "type": "object",
                                "required": ["council", "person_id", "role"],
                                "additionalProperties": False,
                                "properties": {
                                    "council": {"type": "string"},
                                    "person_id": {"type": "string"},
                                    "role": _ref("Role"),
                                },
                            }
                        ),
                    },
                    **error_responses(400, 401, 403, 404, 409, 413, 415, 422),
                },
            },
            "delete": {
                "operationId": "removeMember",
                "summary": "Remove a member from the council",
                "description": SUPER_USER_ONLY + " A person who is not a member of the council gets 404; removing the "
                "council's last super-user gets 409. Someone removed does not rejoin by their email domain; an "
                "invitation still brings them back.",
                "security": SESSION,
                "parameters": [CODE, PERSON_ID, FORM_TOKEN],
                "responses": {"204": {"description": "Removed"}, **error_responses(401, 403, 404, 409)},
            },
        },
    }


def invitation_paths(edition: Edition, valid_days: int) -> dict:
    """functions/councils/invitations.py's endpoint; its link works for `valid_days`."""
    return {
        "/councils/{code}/invitations": {
            "post": {
                "operationId": "inviteToCouncil",
                "summary": "Invite an address to join the council",
                "description": SUPER_USER_ONLY + f" The invitation is emailed; its link works once, for {valid_days} "
                "days, for that address only. A body that is not a usable invitation gets 422 listing every problem.",
                "security": SESSION,
                "parameters": [CODE, FORM_TOKEN],
                "requestBody": {"required": True, "content": json_content(_ref("Invitation"))},
                "responses": {
                    "201": {
                        "description": "Invited: the email is on its way",
                        "content": json_content(
                            {
                                "type": "object",
                                "required": ["council", "invited"],
                                "additionalProperties": False,
                                "properties": {"council": {"type": "string"}, "invited": {"type": "boolean", "enum": [True]}},
                            }
                        ),
                    },
                    **error_responses(400, 401, 403, 404, 413, 415, 422, 429),
                },
            }
        }
    }

"""The self-assessment API's OpenAPI description, generated from the questionnaire: statement, stage and route ids are enums."""

from __future__ import annotations

from functions.assessment.answers import COMMENT_MAX, VERSION_MAX
from functions.assessment.idempotency import HEADER as IDEMPOTENCY_HEADER
from functions.web.openapi import FORM_TOKEN, SESSION, error_responses, json_content
from model import vocabulary as v
from model.questionnaire import Edition


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(name: str) -> dict:
    return {"anyOf": [_ref(name), {"type": "null"}]}


def schemas(edition: Edition) -> dict:
    statement_ids = [s.id for s in edition.statements]
    time = {"type": ["string", "null"], "format": "date-time"}
    return {
        "Stage": {
            "type": "string",
            "enum": [*v.STAGES.ids, v.DONT_KNOW.id],
            "description": "A stage of adoption, in order (" + ", ".join(v.STAGES.ids) + f"), or {v.DONT_KNOW.id}.",
        },
        "StatementId": {"type": "string", "enum": statement_ids, "description": f"A statement of edition {edition.id}."},
        "Route": {"type": "string", "enum": list(v.ROUTES.ids), "description": "A route to change a council may favour."},
        "RespondentRole": {"type": "string", "enum": list(v.RESPONDENT_ROLES.ids)},
        "Answer": {
            "type": "object",
            "description": "Where the council is now and where it aims to be within two years. The ambition may not be "
            "below the current stage unless either is dont-know. A draft may leave either out.",
            "additionalProperties": False,
            "properties": {
                "current": _nullable("Stage"),
                "ambition": _nullable("Stage"),
                "comment": {"type": "string", "maxLength": COMMENT_MAX},
            },
        },
        "Answers": {
            "type": "object",
            "description": "Answers by statement id. Statements that do not apply to the council's type must be left out.",
            "propertyNames": _ref("StatementId"),
            "additionalProperties": False,
            "properties": {sid: _ref("Answer") for sid in statement_ids},
        },
        "ResponseUpdate": {
            "type": "object",
            "description": "A whole response, replacing the stored one. `submit: true` (or a response already "
            "submitted) needs every applicable statement answered.",
            "additionalProperties": False,
            "properties": {
                "version": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": VERSION_MAX,
                    "description": "The version this is based on (0 for a first save). Required unless If-Match gives it.",
                },
                "respondent_role": _nullable("RespondentRole"),
                "routes": {"type": "array", "items": _ref("Route"), "uniqueItems": True},
                "answers": _ref("Answers"),
                "submit": {"type": "boolean"},
            },
        },
        "AnswerUpdate": {
            "type": "object",
            "description": "One statement's answer, replacing the stored one (saving as you go sends this). Left out, "
            "current and ambition are null; with neither and no comment, the statement's answer is cleared. A "
            "submitted response needs both.",
            "additionalProperties": False,
            "properties": {
                "version": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": VERSION_MAX,
                    "description": "The version of the response this is based on (0 before a first save). Required "
                    "unless If-Match gives it.",
                },
                "current": _nullable("Stage"),
                "ambition": _nullable("Stage"),
                "comment": {"type": "string", "maxLength": COMMENT_MAX},
            },
        },
        "SavedAnswer": {
            "type": "object",
            "description": "One statement's answer as stored (null when there is none) and the version of the response "
            "it belongs to (0 before a first save).",
            "required": ["round_id", "statement_id", "version", "updated_at", "answer"],
            "additionalProperties": False,
            "properties": {
                "round_id": {"type": "string"},
                "statement_id": {"type": "string"},
                "version": {"type": "integer", "minimum": 0},
                "updated_at": time,
                "answer": {
                    "anyOf": [
                        {
                            "type": "object",
                            "required": ["current", "ambition", "comment"],
                            "additionalProperties": False,
                            "properties": {
                                "current": _nullable("Stage"),
                                "ambition": _nullable("Stage"),
                                "comment": {"type": "string"},
                            },
                        },
                        {"type": "null"},
                    ]
                },
            },
        },
        "AnswerConflict": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["status", "message"],
                    "properties": {
                        "status": {"type": "integer", "enum": [409]},
                        "message": {"type": "string"},
                        "problems": {"type": "array", "items": _ref("Problem")},
                        "current": {
                            "anyOf": [_ref("SavedAnswer"), {"type": "null"}],
                            "description": "The statement's answer as stored now (absent when the round is closed).",
                        },
                    },
                }
            },
        },
        "MyResponse": {
            "type": "object",
            "required": ["round_id", "edition", "version", "updated_at", "submitted_at", "respondent_role", "routes", "answers"],
            "properties": {
                "round_id": {"type": "string"},
                "edition": {"type": "string"},
                "version": {"type": "integer", "minimum": 0},
                "updated_at": time,
                "submitted_at": time,
                "respondent_role": _nullable("RespondentRole"),
                "routes": {"type": "array", "items": _ref("Route")},
                "answers": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "required": ["current", "ambition", "comment"],
                        "properties": {
                            "current": _nullable("Stage"),
                            "ambition": _nullable("Stage"),
                            "comment": {"type": "string"},
                        },
                    },
                },
            },
        },
        "Round": {
            "type": "object",
            "required": ["id", "council", "edition", "year", "status", "opened_at", "closed_at"],
            "properties": {
                "id": {"type": "string"},
                "council": {"type": "string"},
                "edition": {"type": "string"},
                "year": {"type": "integer"},
                "status": {"type": "string", "enum": ["open", "closed", "published"]},
                "opened_at": {"type": "string", "format": "date-time"},
                "closed_at": time,
            },
        },
        "Edition": {
            "type": "object",
            "required": ["edition", "title", "published", "stages", "routes", "themes"],
            "properties": {
                "edition": {"type": "string"},
                "title": {"type": "string"},
                "published": {"type": "string", "format": "date"},
                "themes": {"type": "array", "items": {"type": "object"}},
                "stages": {"type": "array", "items": {"type": "object"}},
                "routes": {"type": "array", "items": {"type": "object"}},
            },
        },
    }


def paths(edition: Edition) -> dict:
    code = {
        "name": "code",
        "in": "path",
        "required": True,
        "description": "The council's code in the council register.",
        "schema": {"type": "string"},
    }
    round_id = {"name": "round_id", "in": "path", "required": True, "schema": {"type": "string"}}
    statement_id = {
        "name": "statement_id",
        "in": "path",
        "required": True,
        "description": "The statement answered, of the round's questionnaire edition.",
        "schema": _ref("StatementId"),
    }
    headers = {"ETag": {"description": "The response's version, in quotes.", "schema": {"type": "string"}}}
    idempotency_key = {
        "name": IDEMPOTENCY_HEADER,
        "in": "header",
        "required": False,
        "description": "Any unique value (a UUID): a retry with the same key and body is stored once.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    }
    if_match = {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "description": 'The version the body is based on, as the ETag gave it ("3"); instead of `version`.',
        "schema": {"type": "string"},
    }
    return {
        "/editions/latest": {
            "get": {
                "operationId": "getLatestEdition",
                "summary": "The latest questionnaire edition: themes, statements, stages and routes",
                "responses": {
                    "200": {"description": "The questionnaire", "content": json_content(_ref("Edition"))},
                    **error_responses(404),
                },
            }
        },
        "/councils/{code}/rounds": {
            "get": {
                "operationId": "listRounds",
                "summary": "The council's assessment rounds, newest first",
                "security": SESSION,
                "parameters": [code],
                "responses": {
                    "200": {
                        "description": "The rounds",
                        "content": json_content(
                            {
                                "type": "object",
                                "required": ["council", "rounds"],
                                "properties": {
                                    "council": {"type": "string"},
                                    "rounds": {"type": "array", "items": _ref("Round")},
                                },
                            }
                        ),
                    },
                    **error_responses(401, 404),
                },
            }
        },
        "/councils/{code}/rounds/{round_id}/my-response": {
            "get": {
                "operationId": "getMyResponse",
                "summary": "Your own response to the round (version 0 and no answers before your first save)",
                "security": SESSION,
                "parameters": [code, round_id],
                "responses": {
                    "200": {"description": "Your response", "headers": headers, "content": json_content(_ref("MyResponse"))},
                    **error_responses(401, 404),
                },
            },
            "put": {
                "operationId": "putMyResponse",
                "summary": "Save your whole response, as a draft or submitted",
                "description": "Stored in one transaction and answered once committed. Every answer is checked against "
                "the round's edition; any problem gets 422 listing them all, and nothing is stored. A body based on an "
                "older version gets 409 with what is stored now. Sent again with the same Idempotency-Key, a request "
                "is stored once and answered the same.",
                "security": SESSION,
                "parameters": [code, round_id, FORM_TOKEN, idempotency_key, if_match],
                "requestBody": {"required": True, "content": json_content(_ref("ResponseUpdate"))},
                "responses": {
                    "200": {"description": "Saved", "headers": headers, "content": json_content(_ref("MyResponse"))},
                    **error_responses(400, 401, 403, 404, 409, 413, 415, 422),
                },
            },
        },
        "/councils/{code}/rounds/{round_id}/my-response/answers/{statement_id}": {
            "put": {
                "operationId": "putMyAnswer",
                "summary": "Save one statement's answer in your response (what saving as you go sends)",
                "description": "Changes this statement's answer alone and moves the response's version on; answered "
                "once committed, with the new version and the answer as stored, not the whole response. The same rules "
                "as saving the whole response: every problem gets 422 listing them all, and nothing is stored; a body "
                "based on an older version gets 409 with this statement's answer as stored now; a closed round gets "
                "409; sent again with the same Idempotency-Key, a request is stored once and answered the same.",
                "security": SESSION,
                "parameters": [code, round_id, statement_id, FORM_TOKEN, idempotency_key, if_match],
                "requestBody": {"required": True, "content": json_content(_ref("AnswerUpdate"))},
                "responses": {
                    "200": {"description": "Saved", "headers": headers, "content": json_content(_ref("SavedAnswer"))},
                    "409": {
                        "description": "A newer version is stored (`current` holds this statement's answer now), or the "
                        "round is closed.",
                        "content": json_content(_ref("AnswerConflict")),
                    },
                    **error_responses(400, 401, 403, 404, 413, 415, 422),
                },
            }
        },
    }

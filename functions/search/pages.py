"""GET /app/search/?q=...&kind=...&theme=...&route=...&page=N: the first results of a search, as the search page
shows them with JavaScript, then a page of SHOWN results at a time."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from functions import web
from model import search
from model.site import SEARCH_RESULTS

MAX_QUERY = 200  # characters; a search is a few words, and each word costs a shard read
MAX_VALUES = 30  # filter values in one search: more than every value of every filter


def _problems(query: str, page: int | None, chosen: dict[str, list[str]]) -> list[dict]:
    problems = []
    if len(query) > MAX_QUERY:
        problems.append({"where": "q", "message": f"q: expected at most {MAX_QUERY} characters, got {len(query)}"})
    if page is None or page < 1:
        problems.append({"where": "page", "message": "page: expected a page number, 1 or more"})
    if sum(len(v) for v in chosen.values()) > MAX_VALUES:
        problems.append({"where": "filters", "message": f"filters: expected at most {MAX_VALUES} values chosen"})
    return problems


def results(folder, query: str, chosen: dict[str, list[str]], page: int) -> dict:
    """What the page shows: the results of `page`, what they say of themselves, and the filters' names."""
    index = search.Index(folder)
    found = search.find(index, query, chosen)
    first = (page - 1) * search.SHOWN
    shown = [index.document(doc_id) for doc_id, _ in found.results[first : first + search.SHOWN]]
    asked = bool(search.query_words(query)) or any(chosen.values())
    return {
        "said": search.describe(query, found) if asked else "",
        "results": shown,
        "total": len(found.results),
        "kinds": index.manifest["kinds"],
        "facets": index.manifest.get("facets", {}),
        "more": first + search.SHOWN < len(found.results),
    }


async def results_page(request: Request):
    params = request.query_params
    query = params.get("q", "")
    chosen = {facet: [v for v in params.getlist(facet) if v] for facet in search.FACETS}
    page = web.whole_number(params.get("page", "1"))
    if problems := _problems(query, page, chosen):
        raise web.BadRequest(problems, status=400)
    folder = request.app.state.settings.site_dir / search.FOLDER
    try:
        shown = await web.blocking(results, folder, query, chosen, page)
    except search.NoIndex:
        return web.render(
            request,
            "error.html",
            status=503,
            page_title="Search is not available",
            message="Search is not available just now: the site has not been built. Try again later.",
            problems=[],
        )

    def address(n: int) -> str:
        pairs = [("q", query)] if query else []
        pairs += [(facet, value) for facet in search.FACETS for value in chosen[facet]]
        return SEARCH_RESULTS + "?" + urlencode(pairs + ([("page", str(n))] if n > 1 else []))

    return web.render(
        request,
        "search/results.html",
        page_title=f"Search results for {query.strip()}" if query.strip() else "Search the library",
        action=SEARCH_RESULTS,
        query=query,
        chosen=chosen,
        page=page,
        previous=address(page - 1) if page > 1 else None,
        next=address(page + 1) if shown["more"] else None,
        first_number=(page - 1) * search.SHOWN + 1,
        **shown,
    )


page_routes = [Route(SEARCH_RESULTS.removeprefix("/app"), results_page, methods=["GET"])]

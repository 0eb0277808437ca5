"""Zype's page numbers. There is no total field: clients page by `next` and `pages`
(spec §4), so both must be exact."""
from dataclasses import dataclass

from chalicelib.errors import Unprocessable
from chalicelib.services.zype.values import ceil_div, integer

DEFAULT_PER_PAGE = 10
# Zype documents 100 as the maximum, but its own TV templates ask for 300 and 500 and
# would break on a refusal: a larger per_page is clamped, and the clamp is reported in
# `pagination.per_page` so clients keep paging.
MAX_PER_PAGE = 500


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def end(self) -> int:
        return self.offset + self.per_page


def parse_page(params: dict) -> Page:
    number = integer(params.get("page"), "page")
    per_page = integer(params.get("per_page"), "per_page")
    if number is not None and number < 0:
        raise Unprocessable(f"page must be 1 or more, got {number}")
    if per_page is not None and per_page < 1:
        raise Unprocessable(f"per_page must be 1 or more, got {per_page}")
    # The docs call pages zero-indexed while every example and client starts at 1:
    # page 0 and page 1 are the same first page.
    return Page(number=max(number or 1, 1), per_page=min(per_page or DEFAULT_PER_PAGE, MAX_PER_PAGE))


def numbers(total: int, page: Page) -> dict:
    pages = ceil_div(total, page.per_page)
    return {
        "current": page.number,
        "previous": page.number - 1 if page.number > 1 else None,
        "next": page.number + 1 if page.number < pages else None,
        "per_page": page.per_page,
        "pages": pages,
    }


def paginate(items: list, page: Page) -> tuple[list, dict]:
    """The page's slice of `items` and its pagination numbers."""
    return items[page.offset:page.end], numbers(len(items), page)

"""Paging: a list cut into even pages, each labelled, with a pager that links the first, the last and the near."""

from __future__ import annotations

from chronicle.site.paging import page_path, paged, span_label


def label(items: object) -> str:
    return f"{items[0]}..{items[-1]}"  # type: ignore[index]


def test_an_empty_list_has_one_empty_page() -> None:
    [(shown, pager)] = paged([], "sources/", 10, label)
    assert shown == () and pager.number == 1 and pager.total == 0
    assert [link.path for link in pager.links] == ["sources/"] and pager.previous is None and pager.next is None


def test_pages_are_as_even_as_can_be_and_cover_every_item_once() -> None:
    for count, size, expected in ((101, 100, [51, 50]), (250, 100, [84, 83, 83]), (100, 100, [100]), (7, 3, [3, 2, 2])):
        pages = paged(list(range(count)), "tags/x/", size, label)
        assert [len(shown) for shown, _ in pages] == expected, (count, size)
        assert [item for shown, _ in pages for item in shown] == list(range(count))
        assert [(p.first, p.last) for _, p in pages] == [(shown[0] + 1, shown[-1] + 1) for shown, _ in pages]


def test_each_page_has_its_folder_and_label_and_the_pager_skips_far_pages() -> None:
    pages = paged(list(range(100)), "tags/x/", 10, label)
    assert [link.path for link in pages[0][1].links][:3] == ["tags/x/", "tags/x/page/2/", "tags/x/page/3/"]
    assert page_path("tags/x/", 1) == "tags/x/" and pages[4][1].links[4].label == "40..49"
    shown = pages[4][1].shown  # page 5 of 10: the first, 3 to 7, and the last
    assert [link.number if link else None for link in shown] == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert pages[4][1].previous is pages[4][1].links[3] and pages[4][1].next is pages[4][1].links[5]
    assert [link.number if link else None for link in pages[0][1].shown] == [1, 2, 3, None, 10]


def test_a_span_is_labelled_by_initials() -> None:
    assert span_label("associated Press", "Reuters") == "A–R"
    assert span_label("Reuters", "reuters") == "R"
    assert span_label("", "Vice") == "?–V"

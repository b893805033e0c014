"""An imprint dates and names the document however it names its body: "Published by the State of Queensland
(Queensland Health), August 2019"."""

from __future__ import annotations

import pytest

from tests.test_metadata import detect_text

PARA = ("The strategy sets out how services will work together to give people in rural and remote communities care "
        "closer to home, and how progress will be measured over the five years it covers. ")


@pytest.mark.parametrize("imprint, date", [
    ("Published by the State of Queensland (Queensland Health), August 2019", "2019-08"),
    ("Published by the Scottish Government (Mental Health Directorate), 12 March 2021", "2021-03-12"),
    ("Published by NHS England, May 2025", "2025-05"),
])
def test_an_imprint_with_its_bodys_part_in_brackets_dates_the_document(tmp_path, imprint, date):
    pages = ["Better care, closer to home\n\nRural and Remote Mental Health Strategy 2019–2024\n",
             f"Rural and Remote Mental Health Strategy 2019–2024\n\n{imprint}\n\n© 2019\n\n" + PARA * 2,
             PARA * 8, PARA * 8]
    assert str(detect_text(tmp_path, "\f".join(pages), "strategy.txt")["published"]) == date

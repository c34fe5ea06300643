"""Build ``demo/08_lakeport_tribune.warc.gz``: one crawled HTML page about the end of the Sela talks.

Run from the repository root: ``.venv/bin/python src/storyline/examples/make_demo_warc.py``.
The output is committed; the fixed WARC-Date and record ids keep it byte-stable.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUT = Path(__file__).resolve().parent / "demo" / "08_lakeport_tribune.warc.gz"
URL = "https://lakeport-tribune.example/2025/03/22/sela-interim-deal"
DATE = "2025-03-22T18:40:00Z"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ostravia and Meridan reach interim deal on Sela water | Lakeport Tribune</title>
</head><body>
<header><a href="/">Lakeport Tribune</a> <a href="/region">Region</a></header>
<main><article>
<h1>Ostravia and Meridan reach interim deal on Sela water</h1>
<p>Ostravia will raise releases from the Kestrel Dam to 40 percent of the Sela River's natural flow until the end of June, under an interim deal reached in Lakeport on Saturday after two days of talks hosted by the Lakes Regional Council.</p>
<p>The two governments also agreed to set up a fund of 120 million dollars to compensate farmers on both banks who lost crops after the dam gates were closed on March 8. Ostravia will pay 60 percent of the fund and Meridan 40 percent, the council's mediator, Amara Okonjo, said.</p>
<p>"This is not the end of the dispute, but it is the end of the emergency," Okonjo told reporters. "The water will be back in Tessaly before the planting is over," she added.</p>
<p>Ostravian Water Minister Teodor Brann called the deal fair. "We keep filling our reservoir, only more slowly," the minister said. Meridan Foreign Minister Ilse Varga said her country would watch the gauges every day. "Trust is good, a joint monitoring station is better," she said.</p>
<p>Negotiators will meet again in May to discuss a permanent sharing formula. The deal began with a telephone call between Brann and Varga on March 14, Okonjo said.</p>
</article></main>
<footer><p>Lakeport Tribune, all rights reserved.</p></footer>
</body></html>
"""


def build(path: Path = OUT) -> Path:
    body = PAGE.encode("utf-8")
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(
            "08_lakeport_tribune.warc.gz",
            {"software": "storyline make_demo_warc.py", "format": "WARC File Format 1.1"},
        )
        info.rec_headers.replace_header("WARC-Date", DATE)
        info.rec_headers.replace_header("WARC-Record-ID", "<urn:uuid:00000000-0000-4000-8000-000000000001>")
        writer.write_record(info)
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            URL,
            "response",
            payload=BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": DATE, "WARC-Record-ID": "<urn:uuid:00000000-0000-4000-8000-000000000002>"},
        )
        writer.write_record(record)
    return path


if __name__ == "__main__":
    print(build())

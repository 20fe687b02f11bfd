#!/usr/bin/env python3
"""Writes the seeds of fuzz/corpus/<target>/ from the project's own fixtures (data/seeds,
data/library, the runner's recorded JSON) plus a few hand-written inputs for shapes no fixture has.
Each input is kept small (libFuzzer's default -max_len follows the largest seed, and a
big seed slows every execution), so large fixtures are cut at line boundaries.
The other files there (named by their SHA-1) are inputs fuzzing found that reach code the
seeds do not, kept by libFuzzer's -merge=1; this script leaves them alone.
Run from anywhere: python3 fuzz/make_corpus.py"""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
SEEDS = ROOT / "data" / "seeds"
MAX_BYTES = 8 * 1024


def seed(prefix):
    return next(SEEDS.glob(prefix + "_*.txt")).read_bytes()


def pieces(data, size=MAX_BYTES, limit=4):
    """Consecutive pieces of at most `size` bytes, cut after a newline."""
    out, at = [], 0
    while at < len(data) and len(out) < limit:
        end = min(len(data), at + size)
        if end < len(data):
            end = data.rfind(b"\n", at, end) + 1 or end
        out.append(data[at:end])
        at = end
    return out


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    """A length-delimited protobuf field (strings, bytes, sub-messages)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def number(number_, value):
    return varint(number_ << 3) + varint(value)


def frame(message):
    return varint(len(message)) + message


BIBTEX = {
    "broken.bib": b"""@article{good1, title={First}, year=2020}
@article{bad1, title={Unclosed, year=2021}

@article{good2, title={Second}, year=2022}
@inproceedings{noTitle, author={A. Person}, year=2023}
@article{bad2 title={no comma}}
@article(paren, title="Parenthesised entry", doi={10.1145/3600006.3613165})
""",
    "dblp.bib": rb"""@inproceedings{DBLP:conf/osdi/KwonLZ0ZY0S23,
  author       = {Woosuk Kwon and
                  Zhuohan Li and
                  Ion Stoica},
  title        = {Efficient Memory Management for Large Language Model Serving with
                  PagedAttention},
  booktitle    = {Proceedings of the 29th Symposium on Operating Systems Principles,
                  {SOSP} 2023, Koblenz, Germany, October 23-26, 2023},
  pages        = {611--626},
  publisher    = {{ACM}},
  year         = {2023},
  url          = {https://doi.org/10.1145/3600006.3613165},
  doi          = {10.1145/3600006.3613165},
  biburl       = {https://dblp.org/rec/conf/osdi/KwonLZ0ZY0S23.bib},
}
""",
    "accents.bib": "@article{m\u00fcller, title={\\\"{U}ber {\\o}ber ~ \\c{c}a \\v{s}\\'{\\i} \\ss{} \\textbf{bold} $x^2$}, author={M{\\\"u}ller, J{\\\"o}rg and {\\AA}str{\\\"o}m, K.}, year={2019}, month=jan}\n".encode(),
}

SEARCHES = [
    "flash", "flash*", "\"exact phrase\"", "a OR b", "NOT kv", "author:dao", "author:\"Tri Dao\"",
    "venue:ICML", "venue:ICML'25", "year:2024", "year:2024..2025", "year:..2023", "year:2025..2024",
    "topic:\"KV Cache\"", "status:read", "tag:reading-group", "institution:Berkeley",
    "attention author:dao year:2022 venue:NeurIPS", "unknown:field", "\"unclosed", "(a AND b) OR c",
    "title:x", "author:% tag:_", "\u6ce8\u610f\u529b \u00fcber",
]


def main():
    # Markdown list formats: the seed each importer's tests are fed with.
    for target, prefix in [("fuzz_topiclist", "000"), ("fuzz_monthlylist", "001"), ("fuzz_checkboxlist", "002"),
                           ("fuzz_keypointnotes", "003"), ("fuzz_readmeview", "004")]:
        for i, piece in enumerate(pieces(seed(prefix))):
            write(target, f"seed{prefix}_{i}.md", piece)
            if i == 0:
                write("fuzz_detect", f"seed{prefix}.md", piece)
    # The BibTeX reader's own test text (its R"BIB(...)BIB" literals), then the shapes above.
    test = (ROOT / "tests" / "export" / "tst_bibtexparser.cpp").read_text(encoding="utf-8")
    for i, text in enumerate(re.findall(r'R"BIB\((.*?)\)BIB"', test, re.S)):
        write("fuzz_bibtex", f"test{i}.bib", text.encode())
        write("fuzz_detect", f"test{i}.bib", text.encode())
    for name, text in BIBTEX.items():
        write("fuzz_bibtex", name, text)

    # EfficientPaper meta files: every 12th of the bundled library (a spread of years and
    # fields), plus the additions.
    metas = sorted((ROOT / "data" / "library" / "meta").rglob("*.prototxt"))
    for path in metas[::12] + sorted((ROOT / "data" / "additions" / "meta").rglob("*.prototxt")):
        write("fuzz_prototxt", f"{path.parent.name}_{path.name}", path.read_bytes())
    write("fuzz_prototxt", "unknown_keywords.prototxt",
          b'paper { title: "T" url: "https://arxiv.org/abs/2401.00001" }\n'
          b'keyword { words: [ quantization, speculative_decoding, sparse_attention ] }\n'
          b'keyword { words: not_a_word }\npub { where: "ICML\'25" year: 2025 }\n'
          b'links { kind: "slides" url: "s.pdf" } links { kind: "weird" url: "x" }\n'
          b'reading { status: "read" note_written: true }\nnote { url: "note.md" } cover { url: "cover.png" }\n')

    # Venues: every raw venue string of the bundled library, one per input.
    venues = set()
    for path in metas:
        venues.update(re.findall(r'\b(?:where|venue_raw)\s*:\s*"([^"]*)"', path.read_text(encoding="utf-8")))
    venues |= {"ICML'25", "2025-ICML", "ICLR Poster", "sosp24", "ArXiv Jul 21 2024", "2024-ICML_Workshop",
               "NeurIPS'23 Workshop", "ICML\u201924", "ECCV2024", "NIPS 2017", "2024-2-20", ""}
    for i, v in enumerate(sorted(venues)):
        write("fuzz_venue", f"venue{i:03}", v.encode())

    for i, q in enumerate(SEARCHES):
        write("fuzz_searchquery", f"query{i:02}", q.encode())

    # Runner frames (first byte: piece size - 1, then the stream).
    run = (field(1, b"flash_attention") + field(2, field(1, b"head_dim") + field(2, b"64"))
           + field(3, field(1, b"seq_len") + field(2, b"128") + field(2, b"256")) + field(4, b"naive")
           + field(5, b"cpu") + number(6, 3) + number(7, 1) + number(8, 42) + field(9, b"r1"))
    hello = field(1, number(1, 1) + field(2, b"0.1.0") + number(3, 1))
    point = field(5, field(1, b"r1") + number(2, 0) + field(4, b"128") + field(5, b"naive") + field(6, b"cpu")
                  + field(7, field(1, b"seq_len") + field(2, b"128"))
                  + field(8, field(1, b"time_ms") + varint(2 << 3 | 1) + b"\x00" * 7 + b"\x40")
                  + field(10, number(1, 2) + number(2, 2) + field(3, b"\x01\x00\x01\x01")))
    error = field(7, field(1, b"r1") + number(2, 3) + field(3, b"head_dim") + field(4, b"must be 64 or 128"))
    summary = field(6, field(1, b"r1") + number(2, 2) + number(3, 0) + number(5, 1))
    write("fuzz_frames", "client_run", b"\xff" + frame(field(1, run)))
    write("fuzz_frames", "client_list_cancel", b"\x00" + frame(field(3, b"")) + frame(field(4, b""))
          + frame(field(2, field(1, b"r1"))))
    write("fuzz_frames", "server_stream", b"\x06" + frame(hello) + frame(point) + frame(error) + frame(summary))
    write("fuzz_frames", "oversized_length", b"\x0f" + varint(65 << 20) + b"x")
    write("fuzz_frames", "long_varint", b"\x0f" + b"\x80" * 11)

    results = ROOT / "kernels" / "bench" / "results"
    write("fuzz_runnerjson", "bench_issue6.json", (results / "issue6" / "run2_bench_issue6.json").read_bytes())
    write("fuzz_runnerjson", "error.json", b'{"error": {"code": "BAD_PARAMETER", "message": "head_dim"}}')
    write("fuzz_runnerjson", "one_run.json",
          b'{"kernel": "flash_attention", "device": "cpu", "points": [{"index": 0, "variant": "naive", '
          b'"sweep_param": "seq_len", "sweep_value": "128", "params": {"seq_len": "128"}, '
          b'"metrics": {"time_ms": 1.5}}]}')


if __name__ == "__main__":
    main()

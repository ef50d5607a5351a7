"""The checker against an independent validator: every valid fixture and
every mutant of the corpus generated from the spec (conformance's
tests/mutation.rs writes it with CONFORMANCE_MUTANTS_DIR) is validated by
openapi-core (Python), request and response, against the spec the checker
uses (`conformance export-spec --errata`). Where the two disagree on whether
an exchange is valid, the run fails, unless the disagreement is in the
committed, explained list (conformance/crosscheck-known.json): each entry
names a corpus keyword exactly (`keyword`) or a constraint's pointer in the
mutant's name (`pointer`), the verdict this checker gives (`we_say`), and
why it is openapi-core's gap or ours. An entry no disagreement matches any
more fails the run too: the list stays what it says.

    python3 scripts/crosscheck-openapi-core.py CORPUS.json SPEC.json KNOWN.json

Prints a line per disagreement and a summary; exit 0 when every
disagreement is known, 1 otherwise, 2 on bad input.
"""

import json
import sys
from urllib.parse import parse_qs, urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

HAL = "application/vnd.dwolla.v1.hal+json"
HOST = "https://api.dwolla.com"


def explains(entry, keyword, name, ours):
    """Whether a known entry covers this disagreement: the verdict we give,
    and the keyword exactly or the pointer inside the mutant's name."""
    if entry["we_say"] != ours:
        return False
    if "keyword" in entry:
        return entry["keyword"] == keyword
    return entry["pointer"] in name


def body_bytes(message):
    if message.get("body") is not None:
        return json.dumps(message["body"]).encode()
    if message.get("body_text") is not None:
        return message["body_text"].encode()
    return None


def content_type(message, default):
    return message.get("headers", {}).get("content-type", default)


def judged(openapi, exchange):
    """The errors openapi-core finds, request and response, as text."""
    request = exchange["request"]
    target = urlsplit(request["path"])
    headers = dict(request.get("headers", {}))
    mock_request = MockRequest(
        HOST,
        request["method"].lower(),
        target.path,
        args={k: v[0] for k, v in parse_qs(target.query).items()},
        headers=headers,
        data=body_bytes(request),
        content_type=content_type(request, "application/json"),
    )
    response = exchange["response"]
    mock_response = MockResponse(
        body_bytes(response) or b"",
        status_code=response["status"],
        headers=dict(response.get("headers", {})),
        content_type=content_type(response, ""),
    )
    errors = [str(e) for e in openapi.iter_request_errors(mock_request)]
    errors += [str(e) for e in openapi.iter_response_errors(mock_request, mock_response)]
    return errors


def main(corpus_path, spec_path, known_path):
    with open(corpus_path) as f:
        corpus = json.load(f)
    with open(spec_path) as f:
        spec = json.load(f)
    with open(known_path) as f:
        known = json.load(f)["known"]
    config = Config(extra_media_type_deserializers={HAL: json.loads})
    openapi = OpenAPI.from_dict(spec, config=config)
    cases = [(v["name"], "valid fixture", "pass", v["exchange"]) for v in corpus["valid"]]
    cases += [
        (m["name"], m["keyword"], m["verdict"], m["exchange"])
        for m in corpus["mutants"]
    ]
    disagreements, explained, used = [], [], set()
    for name, keyword, ours, exchange in cases:
        errors = judged(openapi, exchange)
        theirs = "fail" if errors else "pass"
        if (ours == "fail") == (theirs == "fail"):
            continue
        entry = next((k for k in known if explains(k, keyword, name, ours)), None)
        if entry is not None:
            used.add(id(entry))
        reason = entry["why"] if entry else None
        line = f"{name}: we say {ours}, openapi-core says {theirs}"
        if errors:
            line += f" ({errors[0][:160]})"
        (explained if reason else disagreements).append((line, reason))
    for line, reason in explained:
        print(f"known: {line}\n       because {reason}")
    for line, _ in disagreements:
        print(f"DISAGREE: {line}")
    stale = [k for k in known if id(k) not in used]
    for entry in stale:
        print(f"STALE: no disagreement matches the known entry {json.dumps(entry)[:200]}")
    print(
        f"{len(cases)} exchanges ({len(corpus['valid'])} valid fixtures, {len(corpus['mutants'])} mutants): "
        f"{len(cases) - len(explained) - len(disagreements)} agree, {len(explained)} known disagreements, "
        f"{len(disagreements)} unexplained"
    )
    return 1 if disagreements or stale else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))

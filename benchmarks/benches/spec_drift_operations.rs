//! `spec-drift` on a synthetic spec of many operations compared with itself:
//! the time one comparison takes as the operation count grows (release
//! build, wall time of one run per size, every operation judged; no
//! criterion: a 2,000-operation run takes seconds). `DRIFT_SIZES=500,1000`
//! picks the sizes.

use std::fmt::Write as _;
use std::time::Instant;

use spec_drift::Options;
use spec_drift::report::Scope;

/// An OpenAPI 3.1 spec of `count` operations in groups of four (create,
/// retrieve, list, update), each group with its own component schemas: an
/// object with an enum, a `oneOf` request body, a nested object and a
/// reference back to a shared link schema.
fn spec(count: usize) -> String {
    let mut out = String::from(
        "openapi: 3.1.0\ninfo: {title: many, version: '1'}\nsecurity:\n- bearer: []\npaths:\n  /token:\n    post:\n      operationId: createApplicationAccessToken\n      security:\n      - basic: []\n      requestBody:\n        required: true\n        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              required: [grant_type]\n              properties:\n                grant_type: {type: string}\n      responses:\n        '200':\n          description: token\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  access_token: {type: string}\n                  expires_in: {type: integer}\n",
    );
    let groups = count.div_ceil(4);
    for g in 0..groups {
        let _ = write!(
            out,
            "  /things{g}:\n    post:\n      operationId: createThing{g}\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              oneOf:\n              - {{$ref: '#/components/schemas/NewThing{g}'}}\n              - {{$ref: '#/components/schemas/NewThingWithNote{g}'}}\n      responses:\n        '201':\n          description: created\n        '400':\n          description: bad\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Error'}}\n    get:\n      operationId: listThings{g}\n      parameters:\n      - {{name: limit, in: query, schema: {{type: integer, format: int32}}}}\n      responses:\n        '200':\n          description: list\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  items:\n                    type: array\n                    items: {{$ref: '#/components/schemas/Thing{g}'}}\n  /things{g}/{{id}}:\n    get:\n      operationId: getThing{g}\n      parameters:\n      - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: thing\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing{g}'}}\n    post:\n      operationId: updateThing{g}\n      parameters:\n      - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/NewThing{g}'}}\n      responses:\n        '200':\n          description: updated\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing{g}'}}\n"
        );
    }
    out.push_str("components:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n    basic: {type: http, scheme: basic}\n  schemas:\n    Error:\n      type: object\n      properties:\n        code: {type: string}\n        message: {type: string}\n    Link:\n      type: object\n      required: [href]\n      properties:\n        href: {type: string, format: uri}\n");
    for g in 0..groups {
        let _ = write!(
            out,
            "    Thing{g}:\n      type: object\n      required: [id, status]\n      properties:\n        id: {{type: string}}\n        status: {{type: string, enum: [active, removed]}}\n        created: {{type: string, format: date-time}}\n        detail:\n          type: object\n          properties:\n            size: {{type: integer}}\n            self: {{$ref: '#/components/schemas/Link'}}\n    NewThing{g}:\n      type: object\n      required: [name]\n      properties:\n        name: {{type: string}}\n    NewThingWithNote{g}:\n      type: object\n      required: [name, note]\n      additionalProperties: false\n      properties:\n        name: {{type: string}}\n        note: {{type: string, maxLength: 200}}\n"
        );
    }
    out
}

fn main() {
    let sizes: Vec<usize> = std::env::var("DRIFT_SIZES")
        .unwrap_or_else(|_| "500,1000,2000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let dir = tempfile::tempdir().expect("a temporary folder");
    for count in sizes {
        let path = dir.path().join(format!("many-{count}.yml"));
        std::fs::write(&path, spec(count)).expect("the spec is written");
        let start = Instant::now();
        let options = Options {
            scope: Scope::AllOperations,
            ..Options::default()
        };
        let report = spec_drift::drift(&path, &path, &options).expect("the spec generates");
        let elapsed = start.elapsed();
        println!(
            "{count} operations against itself: {:.2} s wall, {} findings",
            elapsed.as_secs_f64(),
            report.findings.len()
        );
    }
}

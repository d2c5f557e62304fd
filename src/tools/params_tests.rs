use super::*;
use crate::doc::HttpBinding;
use serde_json::json;

fn op(method: Method, path: &str, params: Vec<Parameter>, media: Option<&str>) -> Operation {
    Operation {
        id: "op".into(),
        http: Some(HttpBinding { method, path: path.into(), body_media_type: media.map(String::from) }),
        parameters: params,
        ..Default::default()
    }
}

fn styled(name: &str, loc: Location, style: Option<&str>, explode: Option<bool>) -> Parameter {
    Parameter { style: style.map(String::from), explode, ..Parameter::new(name, loc) }
}

fn ser(o: &Operation, args: Value) -> Result<RequestParts, String> {
    let path = o.http.as_ref().unwrap().path.clone();
    serialize(o, &path, &args, 0.25)
}

#[test]
fn path_parameters_are_encoded_as_one_segment() {
    let o = op(Method::Get, "/users/{id}/posts/{post}", vec![Parameter::new("id", Location::Path)], None);
    let p = ser(&o, json!({"id": "../../admin", "post": "a b?c#d&e=f"})).unwrap();
    assert_eq!(p.path, "/users/..%2F..%2Fadmin/posts/a%20b%3Fc%23d%26e%3Df");
    assert!(p.query.is_empty(), "post was a template name, not an undeclared argument");
    let p = ser(&o, json!({"id": "http://evil.test/", "post": "//evil.com"})).unwrap();
    assert_eq!(p.path, "/users/http%3A%2F%2Fevil.test%2F/posts/%2F%2Fevil.com");
    let p = ser(&o, json!({"id": 42, "post": true})).unwrap();
    assert_eq!(p.path, "/users/42/posts/true");
}

#[test]
fn dot_segments_empty_and_missing_path_values_are_rejected() {
    let o = op(Method::Get, "/users/{id}", vec![Parameter::new("id", Location::Path)], None);
    for bad in [json!(".."), json!("."), json!("")] {
        let e = ser(&o, json!({ "id": bad })).unwrap_err();
        assert!(e.contains("`id`"), "{e}");
    }
    assert_eq!(ser(&o, json!({})).unwrap_err(), "missing path parameter `id`");
    assert_eq!(ser(&o, json!({"id": null})).unwrap_err(), "missing path parameter `id`");
    let with_default = op(
        Method::Get,
        "/users/{id}",
        vec![Parameter { default: Some(json!("me")), ..Parameter::new("id", Location::Path) }],
        None,
    );
    assert_eq!(ser(&with_default, json!({})).unwrap().path, "/users/me");
}

#[test]
fn path_styles() {
    let arr = json!([3, 4, 5]);
    let obj = json!({"R": 100, "G": 200});
    let cases = [
        (None, None, &arr, "/x/3,4,5"),
        (None, Some(true), &obj, "/x/R=100,G=200"),
        (None, None, &obj, "/x/R,100,G,200"),
        (Some("label"), None, &arr, "/x/.3,4,5"),
        (Some("label"), Some(true), &arr, "/x/.3.4.5"),
        (Some("label"), Some(true), &obj, "/x/.R=100.G=200"),
        (Some("matrix"), None, &arr, "/x/;c=3,4,5"),
        (Some("matrix"), Some(true), &arr, "/x/;c=3;c=4;c=5"),
        (Some("matrix"), Some(true), &obj, "/x/;R=100;G=200"),
        (Some("matrix"), None, &json!("blue"), "/x/;c=blue"),
    ];
    for (style, explode, value, want) in cases {
        let o = op(Method::Get, "/x/{c}", vec![styled("c", Location::Path, style, explode)], None);
        assert_eq!(ser(&o, json!({ "c": value })).unwrap().path, want, "{style:?} {explode:?}");
    }
}

#[test]
fn query_styles() {
    let arr = json!(["a b", "c&d"]);
    let obj = json!({"role": "admin", "first name": "Al"});
    let cases = [
        (None, None, &arr, "/q?id=a%20b&id=c%26d"),
        (Some("form"), Some(false), &arr, "/q?id=a%20b,c%26d"),
        (Some("spaceDelimited"), Some(false), &arr, "/q?id=a%20b%20c%26d"),
        (Some("pipeDelimited"), Some(false), &arr, "/q?id=a%20b|c%26d"),
        (None, None, &obj, "/q?role=admin&first%20name=Al"),
        (Some("form"), Some(false), &obj, "/q?id=role,admin,first%20name,Al"),
        (Some("deepObject"), Some(true), &obj, "/q?id[role]=admin&id[first%20name]=Al"),
        (None, None, &json!(1.5), "/q?id=1.5"),
        (None, None, &json!(false), "/q?id=false"),
        (None, None, &json!("x=1&admin=true"), "/q?id=x%3D1%26admin%3Dtrue"),
    ];
    for (style, explode, value, want) in cases {
        let o = op(Method::Get, "/q", vec![styled("id", Location::Query, style, explode)], None);
        assert_eq!(ser(&o, json!({ "id": value })).unwrap().path_and_query(), want, "{style:?} {explode:?}");
    }
    let nested = op(Method::Get, "/q", vec![styled("f", Location::Query, Some("deepObject"), None)], None);
    assert_eq!(
        ser(&nested, json!({"f": {"a": {"b": 1}, "t": [1, 2]}})).unwrap().query,
        vec!["f[a][b]=1", "f[t]=1", "f[t]=2"]
    );
}

#[test]
fn a_template_query_and_null_values() {
    let o = op(Method::Get, "/search?type=track", vec![Parameter::new("q", Location::Query)], None);
    assert_eq!(ser(&o, json!({"q": "x", "limit": null})).unwrap().path_and_query(), "/search?type=track&q=x");
}

#[test]
fn headers_are_checked() {
    let o = op(Method::Get, "/h", vec![Parameter::new("X-Trace", Location::Header)], None);
    assert_eq!(ser(&o, json!({"X-Trace": "abc"})).unwrap().headers, vec![("X-Trace".to_string(), "abc".to_string())]);
    assert_eq!(ser(&o, json!({"X-Trace": [1, 2]})).unwrap().headers[0].1, "1,2");
    for bad in ["a\r\nX-Evil: 1", "a\nb", "nul\0", "é"] {
        let e = ser(&o, json!({ "X-Trace": bad })).unwrap_err();
        assert!(e.contains("X-Trace"), "{e}");
    }
    let host = op(Method::Get, "/h", vec![Parameter::new("Host", Location::Header)], None);
    assert!(ser(&host, json!({"Host": "evil.com"})).unwrap_err().contains("Host"));
    let bad_name = op(Method::Get, "/h", vec![Parameter::new("X Bad:", Location::Header)], None);
    assert!(ser(&bad_name, json!({"X Bad:": "v"})).is_err());
}

#[test]
fn cookies() {
    let o = op(
        Method::Get,
        "/c",
        vec![Parameter::new("session", Location::Cookie), styled("ids", Location::Cookie, None, Some(false))],
        None,
    );
    let p = ser(&o, json!({"session": "a b;c=d", "ids": [1, 2]})).unwrap();
    assert_eq!(p.cookies, vec!["session=a%20b%3Bc=d", "ids=1,2"]);
    let p = ser(&o, json!({"session": "x\r\nSet-Cookie: y"})).unwrap();
    assert_eq!(p.cookies, vec!["session=x%0D%0ASet-Cookie:%20y"]);
}

#[test]
fn json_form_multipart_and_raw_bodies() {
    let params = vec![Parameter::new("name", Location::Body), Parameter::new("tags", Location::Body)];
    let o = op(Method::Post, "/b", params.clone(), None);
    let (body, ct) = ser(&o, json!({"name": "n", "tags": ["a"], "extra": 1})).unwrap().body.unwrap();
    assert_eq!(ct, "application/json");
    assert_eq!(String::from_utf8(body).unwrap(), r#"{"name":"n","tags":["a"],"extra":1}"#);

    let form = op(Method::Post, "/b", params.clone(), Some("application/x-www-form-urlencoded"));
    let (body, ct) = ser(&form, json!({"name": "a b&c", "tags": ["x", "y"]})).unwrap().body.unwrap();
    assert_eq!(ct, "application/x-www-form-urlencoded");
    assert_eq!(String::from_utf8(body).unwrap(), "name=a+b%26c&tags=x&tags=y");

    let multi = op(Method::Post, "/b", params.clone(), Some("multipart/form-data"));
    let (body, ct) = ser(&multi, json!({"name": "n"})).unwrap().body.unwrap();
    let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
    let body = String::from_utf8(body).unwrap();
    assert!(body.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nn\r\n")));
    assert!(body.ends_with(&format!("--{boundary}--\r\n")));

    let text = op(Method::Put, "/b", vec![Parameter::new("content", Location::Body)], Some("text/plain"));
    let (body, ct) = ser(&text, json!({"content": "hello"})).unwrap().body.unwrap();
    assert_eq!((body.as_slice(), ct.as_str()), (&b"hello"[..], "text/plain"));
}

#[test]
fn undeclared_arguments_go_to_the_query_or_the_body() {
    let get = op(Method::Get, "/g", vec![], None);
    let p = ser(&get, json!({"page": 2})).unwrap();
    assert_eq!((p.query, p.body), (vec!["page=2".to_string()], None));
    let post = op(Method::Post, "/p", vec![], None);
    let p = ser(&post, json!({"page": 2})).unwrap();
    assert!(p.query.is_empty());
    assert_eq!(p.body.unwrap().0, br#"{"page":2}"#.to_vec());
}

#[test]
fn non_object_arguments_are_rejected() {
    let o = op(Method::Get, "/g", vec![], None);
    assert_eq!(ser(&o, json!([1])).unwrap_err(), "arguments must be a JSON object, got an array");
    assert!(ser(&o, Value::Null).unwrap().query.is_empty());
}

/// Serialises `value` for a path parameter `c` of `style`/`explode` in `/items/{c}/details`.
fn styled_path(style: Option<&str>, explode: Option<bool>, value: Value) -> Result<String, String> {
    let o = op(Method::Get, "/items/{c}/details", vec![styled("c", Location::Path, style, explode)], None);
    ser(&o, json!({ "c": value })).map(|p| p.path)
}

fn assert_refused(style: Option<&str>, explode: Option<bool>, value: Value) {
    let got = styled_path(style, explode, value.clone());
    let e = got.expect_err(&format!("{style:?} explode={explode:?} {value} must be refused"));
    assert!(e.contains("`c`") && e.contains("route"), "{e}");
}

#[test]
fn simple_style_arrays_cannot_make_dot_segments() {
    for explode in [None, Some(false), Some(true)] {
        assert_refused(None, explode, json!([".."]));
        assert_refused(Some("simple"), explode, json!(["."]));
    }
    assert_eq!(styled_path(None, None, json!(["..", "a"])).unwrap(), "/items/..,a/details");
}

#[test]
fn label_style_cannot_make_dot_segments() {
    assert_refused(Some("label"), None, json!(["."]));
    assert_refused(Some("label"), Some(true), json!(["."]));
    assert_refused(Some("label"), Some(false), json!([""]));
    assert_refused(Some("label"), Some(true), json!(["", ""]));
    assert_refused(Some("label"), None, json!("."));
    assert_eq!(styled_path(Some("label"), None, json!(["a"])).unwrap(), "/items/.a/details");
}

#[test]
fn matrix_style_segments_are_never_dot_segments() {
    // Matrix values always start with `;name=`: dots inside stay harmless.
    for explode in [None, Some(true)] {
        assert_eq!(styled_path(Some("matrix"), explode, json!([".."])).unwrap(), "/items/;c=../details");
    }
    assert_eq!(styled_path(Some("matrix"), Some(true), json!({"c": ".."})).unwrap(), "/items/;c=../details");
}

#[test]
fn percent_encoded_dot_segments_are_refused() {
    // The value's `%` is encoded as `%25`: a server or proxy that decodes twice still sees dots.
    for value in ["%2e", "%2E%2e", ".%2e", "%2e.", "%252e%252E"] {
        assert_refused(None, None, json!(value));
        assert_refused(None, None, json!([value]));
    }
    for explode in [None, Some(true)] {
        assert_refused(Some("label"), explode, json!(["%2e"]));
        assert_refused(Some("label"), explode, json!("%2E"));
    }
    // Dots that were already in the (resolved) template are refused too, naming the template.
    let o = op(Method::Get, "/items/{c}", vec![Parameter::new("c", Location::Path)], None);
    for template in ["/api/%2e%2E/items/{c}", "/api/.%2e/items/{c}", "/api/..;x=1/items/{c}"] {
        let e = serialize(&o, template, &json!({"c": "a"}), 0.25).unwrap_err();
        assert!(e.starts_with("the path template"), "{e}");
    }
    // Not dot segments: more dots, dots with other text, a literal query after the path.
    for value in ["...", "a..", "..a", "%2e%2e%2e"] {
        assert!(styled_path(None, None, json!(value)).is_ok(), "{value}");
    }
    let p = serialize(&o, "/items/{c}?next=..", &json!({"c": "a"}), 0.25).unwrap();
    assert_eq!(p.path, "/items/a?next=..");
}

//! JSON pointers and local `$ref` resolution: following reference chains, and inlining
//! schemas breadth-first under a size budget so that shared schemas are not copied
//! exponentially and cycles are kept as `$ref`s.

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// Most JSON nodes one inlined schema may grow to; further `$ref`s stay references (except
/// at the top: see [`Resolver::schema`]). 250 nodes is about 5 KB of JSON, more than a model
/// reads usefully, and nearest-first keeps the upper levels; a larger budget mostly copies
/// deep shared schemas once more per operation (GitHub's description: 2.4 MB of inlined
/// response schemas at 250, 7 MB at 2,000), which import, export's comparison and freeing
/// the model all pay for.
pub(super) const INLINE_BUDGET: usize = 250;
/// Deepest an inlined schema may nest; further `$ref`s stay references.
const MAX_DEPTH: usize = 96;
/// Longest chain of references to references followed.
pub(super) const MAX_HOPS: usize = 32;
/// Most references one inlined schema may pass through on the way from its root to any
/// node (nesting plus aliases); further `$ref`s stay references.
const MAX_CHAIN: usize = MAX_DEPTH + MAX_HOPS;

/// Appends a token to a pointer.
pub(super) fn join(base: &str, token: &str) -> String {
    crate::doc::formats::json::child(base, token)
}

/// The JSON pointer a local `$ref` names (`#/a/b` → `/a/b`), or `None` for an external one.
pub(super) fn ref_pointer(r: &str) -> Option<String> {
    let frag = r.strip_prefix('#')?;
    Some(percent_decode_str(frag).decode_utf8_lossy().into_owned())
}

/// The `$ref` string of a reference object.
pub(super) fn ref_of(v: &Value) -> Option<&str> {
    v.get("$ref").and_then(Value::as_str)
}

/// The `$ref` string of an object (a small one is scanned rather than hashed).
pub(super) fn ref_in(m: &Map<String, Value>) -> Option<&str> {
    let v = if m.len() <= 8 { m.iter().find(|(k, _)| is_ref_key(k)).map(|(_, v)| v) } else { m.get("$ref") };
    v.and_then(Value::as_str)
}

#[inline(always)]
fn is_ref_key(k: &str) -> bool {
    matches!(k.as_bytes(), [b'$', b'r', b'e', b'f'])
}

/// What a `$ref` names.
struct Target<'a> {
    value: &'a Value,
    pointer: String,
    /// Node count and depth, once measured.
    size: Option<(usize, usize)>,
}

/// Where a followed value lives.
pub(super) struct Followed<'a> {
    pub value: &'a Value,
    /// Pointer to `value` in the document.
    pub pointer: String,
    /// The first `$ref` followed to get here, when one was.
    pub via: Option<String>,
}

/// How much of a schema [`Resolver::schema`] inlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Inline {
    /// Every local reference, nearest first, under the budget (what the model holds).
    All,
    /// Only a reference chain at the schema's root, so its top-level keywords are those
    /// [`Inline::All`] gives; nested references stay as written (and
    /// [`Resolver::compared_schema`] inlines none). Export compares the model against this
    /// with [`super::compare::Schemas::same`], which follows references as it goes, instead
    /// of building full copies again.
    Root,
}

/// Resolves local references in one document and collects what it noticed.
pub(super) struct Resolver<'a> {
    root: &'a Value,
    inline: Inline,
    warnings: Vec<String>,
    seen: HashSet<String>,
    /// `$ref` → what it names, its pointer and its node count and depth, once measured
    /// (`None`: external or dangling).
    targets: HashMap<String, Option<Target<'a>>>,
    /// Schema references left in place because of the inline budget or depth.
    pub kept_for_size: usize,
}

impl<'a> Resolver<'a> {
    pub fn new(root: &'a Value) -> Self {
        Resolver::with(root, Inline::All)
    }

    /// A resolver whose [`Resolver::schema`] inlines as much as `inline` says.
    pub fn with(root: &'a Value, inline: Inline) -> Self {
        Resolver { root, inline, warnings: Vec::new(), seen: HashSet::new(), targets: HashMap::new(), kept_for_size: 0 }
    }

    /// Whether warnings are wanted: not for export's baseline ([`Inline::Root`]), which
    /// import already warned about.
    pub fn warns(&self) -> bool {
        self.inline == Inline::All
    }

    /// Adds a warning once per `key` (so a dangling `$ref` used a hundred times warns once).
    pub fn warn_once(&mut self, key: String, message: impl FnOnce() -> String) {
        if self.warns() && self.seen.insert(key) {
            self.warnings.push(message());
        }
    }

    /// Adds a warning.
    pub fn warn(&mut self, message: String) {
        if self.warns() {
            self.warnings.push(message);
        }
    }

    /// The warnings, in the order noticed.
    pub fn into_warnings(self) -> Vec<String> {
        self.warnings
    }

    /// The value a `$ref` names, warning when it is external or points to nowhere.
    pub fn lookup(&mut self, r: &str, at: &str) -> Option<(&'a Value, String)> {
        self.target(r, at).map(|t| (t.value, t.pointer.clone()))
    }

    fn target(&mut self, r: &str, at: &str) -> Option<&mut Target<'a>> {
        if !self.targets.contains_key(r) {
            let found = self.find(r, at).map(|(value, pointer)| Target { value, pointer, size: None });
            self.targets.insert(r.to_string(), found);
        }
        // Warnings for external and dangling references were given the first time.
        self.targets.get_mut(r).and_then(Option::as_mut)
    }

    /// What a `$ref` names, with its node count and depth.
    fn sized(&mut self, r: &str, at: &str) -> Option<(&'a Value, (usize, usize))> {
        let t = self.target(r, at)?;
        let size = *t.size.get_or_insert_with(|| measure(t.value));
        Some((t.value, size))
    }

    fn find(&mut self, r: &str, at: &str) -> Option<(&'a Value, String)> {
        let Some(ptr) = ref_pointer(r) else {
            self.warn_once(format!("external {r}"), || {
                format!("at {at}: external $ref `{r}` is not followed (only references within the document are)")
            });
            return None;
        };
        match self.root.pointer(&ptr) {
            Some(v) => Some((v, ptr)),
            None => {
                self.warn_once(format!("nowhere {r}"), || format!("at {at}: $ref `{r}` points to nowhere"));
                None
            }
        }
    }

    /// Follows `$ref` chains from `value` (found at `at`) to a value that is not a reference.
    /// A dangling, external or cyclic chain stops at the last reference object reached.
    pub fn follow(&mut self, value: &'a Value, at: &str) -> Followed<'a> {
        let mut cur = Followed { value, pointer: at.to_string(), via: None };
        let mut visited: HashSet<&str> = HashSet::new();
        while let Some(r) = ref_of(cur.value) {
            if visited.len() >= MAX_HOPS {
                let r = r.to_string();
                self.warn_once(format!("chain {r}"), || {
                    format!("at {at}: the chain of $refs is longer than {MAX_HOPS} hops; stopped at `{r}`")
                });
                break;
            }
            if !visited.insert(r) {
                let r = r.to_string();
                self.warn_once(format!("chain {r}"), || {
                    format!("at {at}: the chain of $refs loops back to `{r}` without reaching a value")
                });
                break;
            }
            let Some((v, ptr)) = self.lookup(r, &cur.pointer) else { break };
            if cur.via.is_none() {
                cur.via = Some(ptr.clone());
            }
            cur = Followed { value: v, pointer: ptr, via: cur.via };
        }
        cur
    }

    /// A copy of the schema at `at` with local `$ref`s inlined, nearest first, while the copy
    /// stays under [`INLINE_BUDGET`] nodes; a reference at the top (the root, or a root
    /// array's `items`) is inlined whatever its size. A reference that would recur inside
    /// itself stays a `$ref` (with a warning), as do dangling and external ones. With
    /// [`Inline::Root`] only a reference at the root is inlined.
    pub fn schema(&mut self, value: &Value, at: &str) -> Value {
        let mut out = value.clone();
        let mut queue = VecDeque::new();
        let nested = self.inline == Inline::All;
        // Only nested sites are held to the budget: without them, nothing needs counting.
        let mut first = Collect { queue: &mut queue, chain: Chain::root(), nested, nodes: nested.then_some(0) };
        first.walk(&out, &mut Vec::new(), false);
        let mut nodes = first.nodes.unwrap_or(0);
        while let Some(site) = queue.pop_front() {
            if site.chain.contains(&site.target) {
                let r = site.target.clone();
                self.warn_once(format!("cycle {r}"), || {
                    format!("at {at}: schema `{r}` contains itself; the inner occurrence is kept as a $ref")
                });
                continue;
            }
            if site.chain.len() >= MAX_CHAIN {
                let r = site.target.clone();
                self.warn_once(format!("long {r}"), || {
                    format!("at {at}: more than {MAX_CHAIN} $refs lead to `{r}`; it is kept as a $ref")
                });
                continue;
            }
            let Some((target, (size, depth))) = self.sized(&site.target, at) else { continue };
            // A reference at the top (the root, or a root array's `items`) is always followed,
            // so that the schema's own keywords (type, required, enum, properties) are there
            // whatever its size.
            let over = !is_top(&out, &site.path) && nodes + size > INLINE_BUDGET;
            if over || site.path.len() + depth > MAX_DEPTH {
                self.kept_for_size += 1;
                continue;
            }
            let Some(slot) = slot_mut(&mut out, &site.path) else { continue };
            let mut replacement = target.clone();
            if let (Value::Object(siblings), Value::Object(r)) = (&*slot, &mut replacement) {
                // OpenAPI 3.1 lets a reference carry keywords beside `$ref`; they win.
                for (k, v) in siblings.iter().filter(|(k, _)| k.as_str() != "$ref") {
                    r.insert(k.clone(), v.clone());
                }
            }
            nodes += size;
            // The replacement's size is already counted (`size`): only its sites are wanted.
            let chain = site.chain.push(site.target);
            let mut path = site.path;
            Collect { queue: &mut queue, chain, nested, nodes: None }.walk(&replacement, &mut path, false);
            *slot = replacement;
        }
        out
    }

    /// A schema that only comparisons read: [`Resolver::schema`], except that with
    /// [`Inline::Root`] it is the schema as written (the comparison follows references itself).
    pub fn compared_schema(&mut self, value: &Value, at: &str) -> Value {
        match self.inline {
            Inline::All => self.schema(value, at),
            Inline::Root => value.clone(),
        }
    }
}

/// Node count and depth of a value.
fn measure(v: &Value) -> (usize, usize) {
    match v {
        Value::Object(m) => m.values().map(measure).fold((1, 1), |(n, d), (cn, cd)| (n + cn, d.max(cd + 1))),
        Value::Array(a) => a.iter().map(measure).fold((1, 1), |(n, d), (cn, cd)| (n + cn, d.max(cd + 1))),
        _ => (1, 1),
    }
}

/// The references an inlined schema passed through on the way to a site: a set shared by
/// sibling sites, copied when one is added (at most [`MAX_CHAIN`] entries), so membership is
/// one hash look-up and nothing in it is freed recursively.
#[derive(Clone)]
struct Chain(std::rc::Rc<HashSet<String>>);

impl Chain {
    fn root() -> Self {
        Chain(std::rc::Rc::new(HashSet::new()))
    }
    fn push(&self, r: String) -> Chain {
        let mut set = HashSet::clone(&self.0);
        set.insert(r);
        Chain(std::rc::Rc::new(set))
    }
    fn contains(&self, r: &str) -> bool {
        self.0.contains(r)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// A site's place in the copy: the position of each member or element on the way down
/// (object members by index: inlining replaces values and never adds or removes keys).
struct Site {
    path: Vec<usize>,
    target: String,
    chain: Chain,
}

/// Keywords whose values are data, not schemas: never look for references inside them.
pub(super) fn is_data_keyword(k: &str) -> bool {
    matches!(k, "example" | "examples" | "default" | "enum" | "const") || k.starts_with("x-")
}

/// Keywords whose values map names to schemas.
pub(super) fn is_schema_map(k: &str) -> bool {
    matches!(k, "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas")
}

/// A walk over a schema copy that queues its reference sites (only one at the root unless
/// `nested`) and, when `nodes` is given, counts its nodes.
struct Collect<'q> {
    queue: &'q mut VecDeque<Site>,
    chain: Chain,
    nested: bool,
    nodes: Option<usize>,
}

impl Collect<'_> {
    fn walk(&mut self, v: &Value, path: &mut Vec<usize>, in_map: bool) {
        self.count(1);
        match v {
            Value::Object(m) => {
                if !in_map {
                    if let Some(r) = ref_in(m) {
                        if self.nested || path.is_empty() {
                            let site = Site { path: path.clone(), target: r.to_string(), chain: self.chain.clone() };
                            self.queue.push_back(site);
                        }
                        self.count(m.len());
                        return;
                    }
                }
                for (i, (k, child)) in m.iter().enumerate() {
                    if !in_map && is_data_keyword(k) {
                        if self.nodes.is_some() {
                            self.count(measure(child).0);
                        }
                        continue;
                    }
                    path.push(i);
                    self.walk(child, path, !in_map && is_schema_map(k));
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    path.push(i);
                    self.walk(child, path, false);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn count(&mut self, n: usize) {
        if let Some(nodes) = &mut self.nodes {
            *nodes += n;
        }
    }
}

/// Whether `path` is the root of `schema` or the root's `items`.
fn is_top(schema: &Value, path: &[usize]) -> bool {
    match path {
        [] => true,
        [i] => schema.as_object().and_then(|m| m.keys().nth(*i)).is_some_and(|k| k == "items"),
        _ => false,
    }
}

fn slot_mut<'v>(v: &'v mut Value, path: &[usize]) -> Option<&'v mut Value> {
    let mut cur = v;
    for &i in path {
        cur = match cur {
            Value::Object(m) => m.values_mut().nth(i)?,
            Value::Array(a) => a.get_mut(i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// A copy of `schema` that stands alone: every local `$ref` still in it (a cycle kept, or a
/// schema past the inline budget) is rewritten to `#/$defs/<name>`, and the schemas they name
/// (and those they refer to in turn) are copied once each into `$defs`.
pub(super) fn self_contained(schema: &Value, source: &Value) -> Value {
    let mut out = schema.clone();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut taken: HashSet<String> =
        out.get("$defs").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let mut queue = VecDeque::new();
    rename_refs(&mut out, source, &mut names, &mut taken, &mut queue, false);
    let mut defs = Map::new();
    while let Some((r, name)) = queue.pop_front() {
        let Some(mut target) = ref_pointer(&r).and_then(|p| source.pointer(&p)).cloned() else { continue };
        rename_refs(&mut target, source, &mut names, &mut taken, &mut queue, false);
        defs.insert(name, target);
    }
    if defs.is_empty() {
        return out;
    }
    match &mut out {
        Value::Object(m) => {
            let slot = m.entry("$defs").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(existing) = slot {
                existing.extend(defs);
            }
            out
        }
        other => other.clone(),
    }
}

fn rename_refs(
    v: &mut Value,
    source: &Value,
    names: &mut HashMap<String, String>,
    taken: &mut HashSet<String>,
    queue: &mut VecDeque<(String, String)>,
    in_map: bool,
) {
    match v {
        Value::Object(m) => {
            if !in_map {
                if let Some(Value::String(r)) = m.get_mut("$ref") {
                    let Some(ptr) = ref_pointer(r) else { return };
                    if ptr.starts_with("/$defs/") || source.pointer(&ptr).is_none() {
                        return;
                    }
                    let name = match names.get(r.as_str()) {
                        Some(n) => n.clone(),
                        None => {
                            let last = ptr.rsplit('/').next().unwrap_or("schema").replace("~1", "/").replace("~0", "~");
                            let base: String = last
                                .chars()
                                .map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' })
                                .collect();
                            let name = unique(&base, taken);
                            names.insert(r.clone(), name.clone());
                            queue.push_back((r.clone(), name.clone()));
                            name
                        }
                    };
                    *r = format!("#/$defs/{name}");
                    return;
                }
            }
            for (k, child) in m.iter_mut() {
                if !in_map && is_data_keyword(k) {
                    continue;
                }
                let map = !in_map && is_schema_map(k);
                rename_refs(child, source, names, taken, queue, map);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| rename_refs(c, source, names, taken, queue, false)),
        _ => {}
    }
}

/// The object at `pointer`, creating empty objects along the way where keys are missing.
/// `None` when something on the way is not an object (or an array indexed by number).
pub(super) fn object_at<'v>(root: &'v mut Value, pointer: &str) -> Option<&'v mut Map<String, Value>> {
    let mut cur = root;
    if !pointer.is_empty() {
        for raw in pointer.strip_prefix('/')?.split('/') {
            let token = raw.replace("~1", "/").replace("~0", "~");
            cur = match cur {
                Value::Object(m) => m.entry(token).or_insert_with(|| Value::Object(Map::new())),
                Value::Array(a) => a.get_mut(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
    }
    cur.as_object_mut()
}

/// `base`, or `base_2`, `base_3`… whichever is not taken yet (and takes it).
pub(super) fn unique(base: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_tokens() {
        assert_eq!(join("/paths", "/users/{id}"), "/paths/~1users~1{id}");
        assert_eq!(join("", "a~b"), "/a~0b");
        assert_eq!(ref_pointer("#/components/schemas/A%20B").as_deref(), Some("/components/schemas/A B"));
        assert_eq!(ref_pointer("other.yaml#/x"), None);
    }

    #[test]
    fn ref_keys() {
        assert!(is_ref_key("$ref") && !is_ref_key("$refs") && !is_ref_key("ref"));
    }

    #[test]
    fn inlines_and_keeps_cycles() {
        let doc = json!({"d": {
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/d/Node"}, "v": {"$ref": "#/d/V"}}},
            "V": {"type": "integer"}
        }});
        let mut r = Resolver::new(&doc);
        let s = r.schema(&doc["d"]["Node"], "/d/Node");
        assert_eq!(s["properties"]["v"], json!({"type": "integer"}));
        assert_eq!(s["properties"]["next"]["properties"]["next"], json!({"$ref": "#/d/Node"}));
        assert_eq!(r.into_warnings().len(), 1);
    }

    #[test]
    fn the_top_is_inlined_whatever_its_size() {
        let props: Map<String, Value> = (0..300).map(|i| (format!("p{i}"), json!({"type": "string"}))).collect();
        let doc = json!({"d": {"Big": {"type": "object", "properties": props}}});
        let mut r = Resolver::new(&doc);
        let s = r.schema(&json!({"$ref": "#/d/Big"}), "/x");
        assert_eq!(s["properties"].as_object().unwrap().len(), 300);
        let s = r.schema(&json!({"type": "array", "items": {"$ref": "#/d/Big"}}), "/x");
        assert_eq!(s["items"]["type"], "object");
        let s = r.schema(&json!({"type": "object", "properties": {"big": {"$ref": "#/d/Big"}}}), "/x");
        assert_eq!(s["properties"]["big"], json!({"$ref": "#/d/Big"}), "below the top the budget holds");
        assert_eq!(r.kept_for_size, 1);
    }

    #[test]
    fn dangling_and_chains() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}, "c": {"$ref": "#/nowhere"}});
        let mut r = Resolver::new(&doc);
        let f = r.follow(&doc["a"], "/a");
        assert!(ref_of(f.value).is_some());
        let f = r.follow(&doc["c"], "/c");
        assert_eq!(f.pointer, "/c");
        let w = r.into_warnings();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[1].contains("#/nowhere"));
    }

    #[test]
    fn self_contained_bundles_kept_refs() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "v": {"$ref": "#/components/schemas/V"}}},
            "V": {"type": "integer", "example": {"$ref": "not a ref"}}
        }}});
        let s = self_contained(
            &json!({"type": "array", "items": {"$ref": "#/components/schemas/Node"}, "x": {"$ref": "#/gone"}}),
            &doc,
        );
        assert_eq!(s["items"], json!({"$ref": "#/$defs/Node"}));
        assert_eq!(s["x"], json!({"$ref": "#/gone"}), "dangling references are left alone");
        assert_eq!(s["$defs"]["Node"]["properties"]["next"], json!({"$ref": "#/$defs/Node"}));
        assert_eq!(s["$defs"]["V"], json!({"type": "integer", "example": {"$ref": "not a ref"}}));
        assert_eq!(s["$defs"].as_object().unwrap().len(), 2);
    }

    #[test]
    fn object_at_creates_path() {
        let mut v = json!({"a": [{"b": 1}]});
        object_at(&mut v, "/a/0/c~1d").unwrap().insert("x".into(), json!(1));
        assert_eq!(v, json!({"a": [{"b": 1, "c/d": {"x": 1}}]}));
    }
}

//! A span-preserving YAML tree built iteratively from granit-parser events.
//!
//! Every node knows its byte range. CloudFormation short tags (`!Ref X`,
//! `!GetAtt a.b`, `!Sub ...`) become their long forms (`{Ref: X}`,
//! `{Fn::GetAtt: [a, b]}`), with the key's span on the tag token. Aliases are
//! expanded under a node budget, `<<` merge keys are honoured (as yaml.v3
//! does), nesting depth is bounded, and nothing recurses on input depth.

use std::collections::HashMap;

use granit_parser::{Event, Options, Parser, ScalarStyle};

use crate::base::source::{FileId, Span};

/// Budgets for one YAML file.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_nodes: 250_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub value: String,
    /// Plain (unquoted, not a block scalar): may be null, bool or number.
    pub plain: bool,
    /// A literal block scalar (`|`).
    pub literal: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    pub fn key_str(&self) -> &str {
        self.key.as_str().unwrap_or("")
    }
}

/// Why a YAML file could not be turned into a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    Syntax,
    Limit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub message: String,
    pub span: Span,
}

impl Node {
    pub fn scalar(value: impl Into<String>, span: Span) -> Node {
        Node {
            span,
            kind: NodeKind::Scalar(Scalar {
                value: value.into(),
                plain: false,
                literal: false,
            }),
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text, for any non-null scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) if !s.is_null() => Some(&s.value),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.is_null())
    }

    /// A plain scalar read as a bool field ([`Scalar::as_bool`]).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Scalar(s) if s.plain => s.as_bool(),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// Value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key.as_str() == Some(key))
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut n = self;
        for k in keys {
            n = n.get(k)?;
        }
        Some(n)
    }

    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(s) if s.is_null() => "null",
            NodeKind::Scalar(_) => "scalar",
            NodeKind::Seq(_) => "list",
            NodeKind::Map(_) => "map",
        }
    }
}

impl Scalar {
    pub fn is_null(&self) -> bool {
        self.plain && matches!(self.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }

    /// Boolean as Copilot's YAML decoder (yaml.v3) reads it into a bool field,
    /// YAML 1.1 spellings included.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value.as_str() {
            "true" | "True" | "TRUE" | "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
                Some(true)
            }
            "false" | "False" | "FALSE" | "n" | "N" | "no" | "No" | "NO" | "off" | "Off"
            | "OFF" => Some(false),
            _ => None,
        }
    }

    /// An integer, only from a plain scalar (a quoted "80" does not decode
    /// into an integer field).
    pub fn as_int(&self) -> Option<i64> {
        if !self.plain {
            return None;
        }
        let v = self.value.replace('_', "");
        if let Some(h) = v.strip_prefix("0x") {
            return i64::from_str_radix(h, 16).ok();
        }
        v.parse::<i64>().ok()
    }
}

/// Parses `text` (file `file`) into its first document's tree. An empty file
/// gives a null scalar.
pub fn parse(text: &str, file: FileId, limits: Limits) -> Result<Node, YamlError> {
    Builder::new(text, file, limits).run()
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        tag: Option<String>,
        tag_span: Option<Span>,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        tag: Option<String>,
        tag_span: Option<Span>,
        entries: Vec<Entry>,
        /// The keys of `entries`, for the duplicate check in constant time.
        seen: std::collections::HashSet<String>,
        pending_key: Option<Node>,
        merges: Vec<Node>,
    },
}

struct Builder<'a> {
    text: &'a str,
    file: FileId,
    limits: Limits,
    nodes: usize,
    anchors: HashMap<usize, Node>,
    char_to_byte: Option<Vec<usize>>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, file: FileId, limits: Limits) -> Self {
        Builder {
            text,
            file,
            limits,
            nodes: 0,
            anchors: HashMap::new(),
            char_to_byte: None,
        }
    }

    fn byte(&mut self, m: &granit_parser::Marker) -> usize {
        if let Some(b) = m.byte_offset() {
            return b.min(self.text.len());
        }
        let table = self
            .char_to_byte
            .get_or_insert_with(|| self.text.char_indices().map(|(b, _)| b).collect());
        table.get(m.index()).copied().unwrap_or(self.text.len())
    }

    fn span(&mut self, s: &granit_parser::Span) -> Span {
        let a = self.byte(&s.start);
        let b = self.byte(&s.end);
        Span::new(self.file, a, b)
    }

    fn err(&self, kind: YamlErrorKind, message: String, at: usize) -> YamlError {
        YamlError {
            kind,
            message,
            span: Span::new(self.file, at, (at + 1).min(self.text.len()).max(at)),
        }
    }

    fn count(&mut self, n: usize, at: usize) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > self.limits.max_nodes {
            return Err(self.err(
                YamlErrorKind::Limit,
                format!(
                    "more than {} YAML nodes (after alias expansion); the file is not analysed",
                    self.limits.max_nodes
                ),
                at,
            ));
        }
        Ok(())
    }

    /// Attaches a finished node to its parent: an item of a sequence, a
    /// key or a value of a mapping (a duplicate key is refused, a `<<` key
    /// merges later), or the document's root.
    fn attach(
        &self,
        stack: &mut [Frame],
        root: &mut Option<Node>,
        node: Node,
    ) -> Result<(), YamlError> {
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    *root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                seen,
                pending_key,
                merges,
                ..
            }) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => {
                    let is_merge =
                        matches!(&key.kind, NodeKind::Scalar(s) if s.plain && s.value == "<<");
                    if is_merge {
                        merges.push(node);
                    } else {
                        let name = key_text(&key);
                        if !seen.insert(name.clone()) {
                            let at = key.span.start as usize;
                            return Err(self.err(
                                YamlErrorKind::Syntax,
                                format!("duplicate mapping key `{name}`"),
                                at,
                            ));
                        }
                        entries.push(Entry { key, value: node });
                    }
                }
            },
        }
        Ok(())
    }

    /// The parser's error: too deep a nesting is a limit, anything else a
    /// syntax error.
    fn parse_error(&mut self, e: &granit_parser::ScanError) -> YamlError {
        let m = *e.marker();
        let at = self.byte(&m);
        let msg = e.info();
        let kind = if msg.contains("nesting") || msg.contains("recursion") {
            YamlErrorKind::Limit
        } else {
            YamlErrorKind::Syntax
        };
        self.err(kind, format!("invalid YAML: {msg}"), at)
    }

    /// A scalar node, wrapped in its CloudFormation tag if it has one, and
    /// remembered under its anchor.
    fn scalar(
        &mut self,
        scalar: Scalar,
        span: Span,
        tag_name: Option<String>,
        tag_span: Option<Span>,
        anchor: usize,
    ) -> Node {
        let scalar = Node {
            span,
            kind: NodeKind::Scalar(scalar),
        };
        let node = match tag_name {
            Some(name) => wrap_tag(&name, scalar, tag_span.unwrap_or(span)),
            None => scalar,
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        node
    }

    /// Opens a sequence or mapping, within the depth limit.
    fn open(&mut self, stack: &mut Vec<Frame>, at: usize, frame: Frame) -> Result<(), YamlError> {
        self.count(1, at)?;
        if stack.len() >= self.limits.max_depth {
            return Err(self.depth_err(at));
        }
        stack.push(frame);
        Ok(())
    }

    /// Closes the innermost sequence (`seq`) or mapping (its `<<` keys
    /// merged) into its node; the other kind, or none, is unbalanced.
    fn close(&mut self, frame: Option<Frame>, seq: bool, span: Span) -> Result<Node, YamlError> {
        let end = span.end as usize;
        match frame {
            Some(Frame::Seq {
                start,
                anchor,
                tag,
                tag_span,
                items,
            }) if seq => {
                let last = items.last().map(|l| l.span.end as usize);
                let kind = NodeKind::Seq(items);
                Ok(self.finish(start, end, last, kind, tag, tag_span, anchor))
            }
            Some(Frame::Map {
                start,
                anchor,
                tag,
                tag_span,
                mut entries,
                merges,
                ..
            }) if !seq => {
                merge_keys(&mut entries, merges);
                let last = entries.last().map(|l| l.value.span.end as usize);
                let kind = NodeKind::Map(entries);
                Ok(self.finish(start, end, last, kind, tag, tag_span, anchor))
            }
            _ => Err(self.err(
                YamlErrorKind::Syntax,
                format!("unbalanced {}", if seq { "sequence" } else { "mapping" }),
                span.start as usize,
            )),
        }
    }

    fn run(mut self) -> Result<Node, YamlError> {
        let mut opts = Options::default();
        opts.block_nesting_limit = self.limits.max_depth + 2;
        opts.flow_nesting_limit = self.limits.max_depth + 2;
        let mut parser = Parser::new_from_str_with_options(self.text, opts);
        let mut stack: Vec<Frame> = Vec::new();
        let mut root: Option<Node> = None;
        while let Some(ev) = parser.next_event() {
            let (event, gspan) = match ev {
                Ok(x) => x,
                Err(e) => return Err(self.parse_error(&e)),
            };
            let span = self.span(&gspan);
            let tag_span = gspan.tag_span().map(|t| self.span(&t));
            let node = match event {
                Event::StreamStart => continue,
                Event::StreamEnd => break,
                Event::DocumentStart(..) => {
                    if root.is_some() {
                        break; // only the first document, as yaml.v3 Unmarshal
                    }
                    continue;
                }
                Event::DocumentEnd => {
                    if root.is_some() {
                        break;
                    }
                    continue;
                }
                Event::Alias(id) => {
                    let Some(n) = self.anchors.get(&id).cloned() else {
                        return Err(self.err(
                            YamlErrorKind::Syntax,
                            "alias refers to an unknown anchor".into(),
                            span.start as usize,
                        ));
                    };
                    let size = count_nodes(&n);
                    self.count(size, span.start as usize)?;
                    // The alias node keeps the anchored content but sits here.
                    Node { span, ..n }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.count(1, span.start as usize)?;
                    let plain = matches!(style, ScalarStyle::Plain) && tag.is_none();
                    let scalar = Scalar {
                        value: value.into_owned(),
                        plain,
                        literal: matches!(style, ScalarStyle::Literal),
                    };
                    let tag_name = tag.as_ref().and_then(|t| cfn_tag(t));
                    self.scalar(scalar, span, tag_name, tag_span, anchor)
                }
                Event::SequenceStart(_, anchor, tag) => {
                    self.open(
                        &mut stack,
                        span.start as usize,
                        Frame::Seq {
                            start: span.start as usize,
                            anchor,
                            tag: tag.as_ref().and_then(|t| cfn_tag(t)),
                            tag_span,
                            items: Vec::new(),
                        },
                    )?;
                    continue;
                }
                Event::MappingStart(_, anchor, tag) => {
                    self.open(
                        &mut stack,
                        span.start as usize,
                        Frame::Map {
                            start: span.start as usize,
                            anchor,
                            tag: tag.as_ref().and_then(|t| cfn_tag(t)),
                            tag_span,
                            entries: Vec::new(),
                            seen: std::collections::HashSet::new(),
                            pending_key: None,
                            merges: Vec::new(),
                        },
                    )?;
                    continue;
                }
                Event::SequenceEnd => self.close(stack.pop(), true, span)?,
                Event::MappingEnd => self.close(stack.pop(), false, span)?,
                _ => continue,
            };
            self.attach(&mut stack, &mut root, node)?;
        }
        Ok(root.unwrap_or_else(|| Node {
            span: Span::new(self.file, 0, 0),
            kind: NodeKind::Scalar(Scalar {
                value: String::new(),
                plain: true,
                literal: false,
            }),
        }))
    }

    /// A finished collection: its span (ending with its last child), its
    /// tag turned into the long form, its anchor recorded.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        start: usize,
        end: usize,
        last_child_end: Option<usize>,
        kind: NodeKind,
        tag: Option<String>,
        tag_span: Option<Span>,
        anchor: usize,
    ) -> Node {
        let end = self.trim_end(start, end);
        let end = last_child_end.map_or(end, |l| end.max(l));
        let sp = Span::new(self.file, start, end);
        let mut node = Node { span: sp, kind };
        if let Some(t) = tag {
            node = wrap_tag(&t, node, tag_span.unwrap_or(sp));
        }
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        node
    }

    /// End of a collection: back over trailing whitespace, so a block
    /// node's span ends with its last character, not at the next token.
    fn trim_end(&self, start: usize, end: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut e = end.min(bytes.len());
        while e > start && bytes[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        e
    }

    fn depth_err(&self, at: usize) -> YamlError {
        self.err(
            YamlErrorKind::Limit,
            format!(
                "YAML nested deeper than {} levels; the file is not analysed",
                self.limits.max_depth
            ),
            at,
        )
    }
}

fn key_text(n: &Node) -> String {
    match &n.kind {
        NodeKind::Scalar(s) => s.value.clone(),
        _ => format!("<{}>", n.kind_name()),
    }
}

fn count_nodes(n: &Node) -> usize {
    let mut total = 0;
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        total += 1;
        match &x.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Seq(items) => stack.extend(items.iter()),
            NodeKind::Map(entries) => {
                for e in entries {
                    stack.push(&e.value);
                    total += 1;
                }
            }
        }
    }
    total
}

/// The long-form key for a CloudFormation short tag, or None for core tags.
fn cfn_tag(tag: &granit_parser::Tag) -> Option<String> {
    if tag.handle() != "!" {
        return None;
    }
    let name = tag.suffix();
    Some(match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    })
}

fn wrap_tag(long: &str, inner: Node, tag_span: Span) -> Node {
    let span = Span {
        file: inner.span.file,
        start: tag_span.start.min(inner.span.start),
        end: inner.span.end.max(tag_span.end),
    };
    // `!GetAtt a.b` in scalar form becomes [a, b].
    let value = match (long, &inner.kind) {
        ("Fn::GetAtt", NodeKind::Scalar(s)) => match s.value.split_once('.') {
            Some((a, b)) => Node {
                span: inner.span,
                kind: NodeKind::Seq(vec![
                    Node::scalar(a, inner.span),
                    Node::scalar(b, inner.span),
                ]),
            },
            None => inner,
        },
        _ => inner,
    };
    Node {
        span,
        kind: NodeKind::Map(vec![Entry {
            key: Node::scalar(long, tag_span),
            value,
        }]),
    }
}

/// `<<` merge keys: the merged maps' entries join the mapping; keys already
/// present win.
fn merge_keys(entries: &mut Vec<Entry>, merges: Vec<Node>) {
    if merges.is_empty() {
        return;
    }
    let mut seen: std::collections::HashSet<String> =
        entries.iter().map(|e| e.key_str().to_string()).collect();
    for m in merges {
        let sources: Vec<Node> = match m.kind {
            NodeKind::Seq(items) => items,
            _ => vec![m],
        };
        for src in sources {
            if let NodeKind::Map(src_entries) = src.kind {
                for e in src_entries {
                    if seen.insert(e.key_str().to_string()) {
                        entries.push(e);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Node, YamlError> {
        parse(s, FileId(0), Limits::default())
    }

    #[test]
    fn spans_point_at_values() {
        let src = "a:\n  b: hello\n";
        let n = p(src).unwrap();
        let b = n.path(&["a", "b"]).unwrap();
        assert_eq!(&src[b.span.start as usize..b.span.end as usize], "hello");
    }

    #[test]
    fn short_tags_become_long_forms() {
        let src =
            "x: !Ref Foo\ny: !GetAtt A.B\nz: !Sub '${App}-x'\nw: !Split [',', !ImportValue v]\n";
        let n = p(src).unwrap();
        assert_eq!(n.path(&["x", "Ref"]).unwrap().as_str(), Some("Foo"));
        let ga = n.path(&["y", "Fn::GetAtt"]).unwrap().as_seq().unwrap();
        assert_eq!(ga[0].as_str(), Some("A"));
        assert_eq!(ga[1].as_str(), Some("B"));
        assert_eq!(
            n.path(&["z", "Fn::Sub"]).unwrap().as_str(),
            Some("${App}-x")
        );
        let split = n.path(&["w", "Fn::Split"]).unwrap().as_seq().unwrap();
        assert_eq!(
            split[1].path(&["Fn::ImportValue"]).unwrap().as_str(),
            Some("v")
        );
        // the key of a converted tag sits on the tag token
        let k = &n.get("x").unwrap().as_map().unwrap()[0].key;
        assert_eq!(&src[k.span.start as usize..k.span.end as usize], "!Ref");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = p("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.kind, YamlErrorKind::Syntax);
        assert!(e.message.contains("duplicate"));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = p("a: [1, 2\nb: c\n").unwrap_err();
        assert_eq!(e.kind, YamlErrorKind::Syntax);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        for w in names.windows(2) {
            s.push_str(&format!(
                "{}: &{} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                w[1],
                w[1],
                p = w[0]
            ));
        }
        let e = p(&s).unwrap_err();
        assert_eq!(e.kind, YamlErrorKind::Limit);
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let s = "[".repeat(100_000);
        let e = p(&s).unwrap_err();
        assert_eq!(e.kind, YamlErrorKind::Limit, "{e:?}");
        let mut block = String::new();
        for i in 0..5_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("- \n");
        }
        assert!(p(&block).is_err());
    }

    #[test]
    fn merge_keys_and_aliases() {
        let n = p("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(n.path(&["c", "x"]).unwrap().as_str(), Some("1"));
        assert_eq!(n.path(&["c", "y"]).unwrap().as_str(), Some("3"));
    }

    #[test]
    fn yaml11_booleans_and_ints() {
        let n = p("a: on\nb: '80'\nc: 80\nd: ~\n").unwrap();
        assert_eq!(
            n.get("a").unwrap().as_scalar().unwrap().as_bool(),
            Some(true)
        );
        assert_eq!(n.get("b").unwrap().as_scalar().unwrap().as_int(), None);
        assert_eq!(n.get("c").unwrap().as_scalar().unwrap().as_int(), Some(80));
        assert!(n.get("d").unwrap().is_null());
    }
}

/// The tree as JSON, resolving plain scalars the YAML 1.2 core way (null,
/// booleans, numbers), for JSON Schema validation.
pub fn to_json(n: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    enum Work<'a> {
        Visit(&'a Node),
        Seq(usize),
        Map(Vec<String>),
    }
    let mut work = vec![Work::Visit(n)];
    let mut out: Vec<J> = Vec::new();
    while let Some(w) = work.pop() {
        match w {
            Work::Visit(n) => match &n.kind {
                NodeKind::Scalar(s) => out.push(scalar_json(s)),
                NodeKind::Seq(items) => {
                    work.push(Work::Seq(items.len()));
                    work.extend(items.iter().rev().map(Work::Visit));
                }
                NodeKind::Map(entries) => {
                    work.push(Work::Map(
                        entries.iter().map(|e| e.key_str().to_string()).collect(),
                    ));
                    work.extend(entries.iter().rev().map(|e| Work::Visit(&e.value)));
                }
            },
            Work::Seq(len) => {
                let items = out.split_off(out.len() - len);
                out.push(J::Array(items));
            }
            Work::Map(keys) => {
                let vals = out.split_off(out.len() - keys.len());
                out.push(J::Object(keys.into_iter().zip(vals).collect()));
            }
        }
    }
    out.pop().unwrap_or(J::Null)
}

fn scalar_json(s: &Scalar) -> serde_json::Value {
    use serde_json::Value as J;
    if !s.plain {
        return J::String(s.value.clone());
    }
    if s.is_null() {
        return J::Null;
    }
    match s.value.as_str() {
        "true" | "True" | "TRUE" => return J::Bool(true),
        "false" | "False" | "FALSE" => return J::Bool(false),
        _ => {}
    }
    if let Ok(i) = s.value.parse::<i64>() {
        return J::from(i);
    }
    if let Ok(f) = s.value.parse::<f64>() {
        if f.is_finite() {
            return J::from(f);
        }
    }
    J::String(s.value.clone())
}

#[cfg(test)]
mod json_tests {
    use super::*;

    #[test]
    fn converts_without_recursion() {
        let n = parse(
            "a: [1, 'x', true, ~]\nb: {c: 2.5}\n",
            FileId(0),
            Limits::default(),
        )
        .unwrap();
        assert_eq!(
            to_json(&n),
            serde_json::json!({"a": [1, "x", true, null], "b": {"c": 2.5}})
        );
    }
}

//! Combining evidence: phrase hits -> candidate matches -> guards (negation, hypothetical,
//! figurative, benign) -> the assessment.
//!
//! Rules pair concepts that occur near each other in the same sentence, so they cover word-order
//! and synonym variants that a phrase list would have to spell out one by one. Guards only ever
//! remove a candidate when a specific cue says so; with no cue, a candidate stands (recall first).

use std::borrow::Cow;

use super::normalize::{normalize, Canon, Normalized};
use super::phrases::{Lex, C};
use super::{MatchSource, PhraseIndex, SetAside, Sign, UrgencyAssessment, UrgencyMatch};

/// How far back (in words) a negation reaches: "no trouble breathing", "I don't have any chest
/// pain" but not "it's not getting better, it's getting darker".
const NEG_WINDOW: usize = 3;
/// How far back a hypothetical cue reaches within its clause ("what if my lip turns white").
const HYPO_WINDOW: usize = 10;

/// One table entry found in a message, in token positions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub lex: Lex,
    pub pattern: usize,
    /// First token and one past the last token.
    pub lo: usize,
    pub hi: usize,
}

/// A message, normalised and looked up.
pub(crate) struct Scan {
    pub norm: Normalized,
    pub hits: Vec<Hit>,
}

impl Scan {
    pub fn new(
        text: &str,
        phrases: &PhraseIndex,
        lex: &[Lex],
        stem: &[bool],
        canon: &Canon,
    ) -> Self {
        let norm = normalize(text, Some(canon));
        let bytes = norm.text.as_bytes();
        let mut hits = Vec::new();
        for m in phrases.find_overlapping(norm.text.as_str()) {
            let pid = m.pattern;
            let (s, e) = (m.start, m.end);
            let Some(lo) = norm.tok_starting_at(s) else {
                continue;
            };
            let whole = e == bytes.len() || bytes.get(e) == Some(&b' ');
            let is_stem = stem.get(pid).copied().unwrap_or(false);
            if !whole && !is_stem {
                continue;
            }
            let Some(last) = norm.tok_containing(e.saturating_sub(1)) else {
                continue;
            };
            let Some(&l) = lex.get(pid) else { continue };
            hits.push(Hit {
                lex: l,
                pattern: pid,
                lo,
                hi: last + 1,
            });
        }
        // Concepts inside a blocking phrase ("dark circles", "feeling blue") are not evidence.
        let blocks: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| h.lex == Lex::Concept(C::Block))
            .map(|h| (h.lo, h.hi))
            .collect();
        let ignores: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| h.lex == Lex::Concept(C::NegIgnore))
            .map(|h| (h.lo, h.hi))
            .collect();
        hits.retain(|h| match h.lex {
            Lex::Concept(C::Block) | Lex::Direct(_) => true,
            Lex::Concept(C::Neg) => !ignores.iter().any(|&(a, b)| a <= h.lo && h.hi <= b),
            Lex::Concept(_) => !blocks.iter().any(|&(a, b)| a <= h.lo && h.hi <= b),
        });
        Self { norm, hits }
    }

    pub fn has(&self, c: C) -> bool {
        self.hits.iter().any(|h| h.lex == Lex::Concept(c))
    }

    fn of(&self, c: C) -> impl Iterator<Item = &Hit> + '_ {
        self.hits.iter().filter(move |h| h.lex == Lex::Concept(c))
    }

    fn sentence(&self, tok: usize) -> u16 {
        self.norm.toks.get(tok).map_or(0, |t| t.sentence)
    }

    fn clause(&self, tok: usize) -> u16 {
        self.norm.toks.get(tok).map_or(0, |t| t.clause)
    }

    /// Is concept `c` in the sentence of token `tok`?
    fn in_sentence(&self, c: C, tok: usize) -> bool {
        let s = self.sentence(tok);
        self.of(c).any(|h| self.sentence(h.lo) == s)
    }

    /// Pairs as [`Scan::pairs`], also in one clause ("breathing fine, no throat issues").
    fn pairs_clause(&self, a: &[C], b: &[C], window: usize) -> Vec<(Hit, Hit)> {
        let mut v = self.pairs(a, b, window);
        v.retain(|(x, y)| self.clause(x.lo) == self.clause(y.lo));
        v
    }

    /// Pairs of hits of `a` and `b` within `window` words of each other, in one sentence.
    fn pairs(&self, a: &[C], b: &[C], window: usize) -> Vec<(Hit, Hit)> {
        let mut out = Vec::new();
        for x in self.hits.iter().filter(|h| concept_in(h.lex, a)) {
            for y in self.hits.iter().filter(|h| concept_in(h.lex, b)) {
                if x.lo == y.lo && x.hi == y.hi {
                    continue;
                }
                let gap = if x.lo <= y.lo {
                    y.lo.saturating_sub(x.hi)
                } else {
                    x.lo.saturating_sub(y.hi)
                };
                if gap <= window && self.sentence(x.lo) == self.sentence(y.lo) {
                    out.push((*x, *y));
                }
            }
        }
        out
    }
}

/// Concepts that a negation can bind to.
const SYMPTOMS: [C; 28] = [
    C::Pain,
    C::Swell,
    C::Fever,
    C::Red,
    C::Hot,
    C::Hives,
    C::Breathe,
    C::Difficulty,
    C::Tight,
    C::Closing,
    C::ColorStrong,
    C::ColorWeak,
    C::Cold,
    C::Breakdown,
    C::Blur,
    C::Dizzy,
    C::Numb,
    C::Droop,
    C::Bruise,
    C::Spreading,
    C::Infected,
    C::Severe,
    C::Worse,
    C::Swallow,
    C::Cant,
    C::Chest,
    C::Throat,
    C::Tongue,
];

fn concept_in(l: Lex, set: &[C]) -> bool {
    matches!(l, Lex::Concept(c) if set.contains(&c))
}

/// A candidate match, before the guards.
#[derive(Debug, Clone)]
struct Cand {
    sign: Sign,
    source: MatchSource,
    pattern: String,
    lo: usize,
    hi: usize,
    /// The evidence it combines; negating any one of them negates the candidate.
    parts: [(usize, usize); 2],
}

/// Evidence from the earlier turns of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context {
    /// A filler was named in an earlier turn.
    pub filler: bool,
    /// Any injection or treatment was named in an earlier turn.
    pub treatment: bool,
    /// A face area was named in an earlier turn.
    pub area: bool,
    /// Earlier turns held signs of indirect self-harm (giving away, a farewell, finality, a
    /// low mood): one of the two kinds the rule needs may come from there.
    pub self_harm_signs: bool,
}

impl Context {
    pub fn absorb(&mut self, scan: &Scan) {
        self.filler |= scan.has(C::Filler);
        self.treatment |= scan.has(C::Filler) || scan.has(C::Injection) || scan.has(C::Treatment);
        self.area |= scan.has(C::Area);
        self.self_harm_signs |= [C::GiveAway, C::Farewell, C::Finality, C::LowMood]
            .into_iter()
            .any(|c| scan.has(c));
    }
}

/// Candidate matches of one scanned message.
fn candidates(scan: &Scan, ctx: Context, patterns: &[Cow<'static, str>]) -> Vec<Cand> {
    let mut out = Vec::new();
    let name = |h: &Hit| {
        patterns
            .get(h.pattern)
            .map(|p| p.to_string())
            .unwrap_or_default()
    };
    for h in &scan.hits {
        if let Lex::Direct(sign) = h.lex {
            out.push(Cand {
                sign,
                source: MatchSource::Phrase,
                pattern: name(h),
                lo: h.lo,
                hi: h.hi,
                parts: [(h.lo, h.hi); 2],
            });
        }
    }
    let filler = ctx.filler || scan.has(C::Filler);
    let treatment = filler || ctx.treatment || scan.has(C::Injection) || scan.has(C::Treatment);
    use Sign::*;
    use C::*;

    // Anaphylaxis.
    push_pairs(
        &mut out,
        Anaphylaxis,
        "throat+tight/closing/swelling",
        scan.pairs(&[Throat], &[Tight, Closing, Swell], 5),
    );
    push_pairs(
        &mut out,
        Anaphylaxis,
        "tongue+swelling",
        scan.pairs(&[Tongue], &[Swell], 5),
    );
    push_pairs(
        &mut out,
        Anaphylaxis,
        "cannot+swallow",
        scan.pairs_clause(&[Cant, Difficulty], &[Swallow], 4),
    );
    // Lips swelling is expected after lip filler; swelling *fast* is not.
    let lips_face = scan
        .pairs(&[Lips, Face, Tongue], &[Swell], 5)
        .into_iter()
        .filter(|(x, _)| scan.in_sentence(Fast, x.lo))
        .collect();
    push_pairs(&mut out, Anaphylaxis, "lips/face swelling fast", lips_face);
    let throat_odd = scan.pairs_clause(&[Throat], &[ThroatOdd], 4);
    if treatment || scan.has(Hives) || scan.has(Swell) {
        push_pairs(
            &mut out,
            Anaphylaxis,
            "odd throat+injection/hives",
            throat_odd,
        );
    }
    if treatment || scan.has(Swell) || scan.has(Throat) {
        for h in scan.of(Hoarse) {
            out_push(
                &mut out,
                Anaphylaxis,
                "hoarse/lump in throat+injection",
                *h,
                *h,
            );
        }
    }

    // Breathing.
    push_pairs(
        &mut out,
        BreathingTrouble,
        "cannot/trouble+breathe",
        scan.pairs_clause(&[Cant, Difficulty], &[Breathe], 3),
    );

    // Chest.
    push_pairs(
        &mut out,
        ChestPain,
        "chest+pain/pressure",
        // "pressure in the middle of my chest": the pressure may come first, a few words out.
        scan.pairs(&[Chest], &[Pain, Tight, Severe], 6),
    );

    // Vision.
    push_pairs(
        &mut out,
        VisionChange,
        "vision+blurry/dark",
        scan.pairs(&[Vision], &[Blur, VisionOff, Difficulty], 4),
    );
    push_pairs(
        &mut out,
        VisionChange,
        "eye+blurry",
        scan.pairs(&[Eye], &[Blur], 4),
    );
    let see_blur = scan
        .pairs(&[See], &[Blur], 3)
        .into_iter()
        .filter(|(s, b)| s.lo < b.lo)
        .collect();
    push_pairs(&mut out, VisionChange, "see+blurry", see_blur);
    push_pairs(
        &mut out,
        VisionChange,
        "eye+pain",
        scan.pairs(&[Eye], &[Pain], 3),
    );
    let cant_see = scan
        .pairs(&[Cant], &[See], 2)
        .into_iter()
        .filter(|(c, s)| {
            c.lo < s.lo
                && (scan.in_sentence(Eye, s.lo)
                    || scan.in_sentence(Vision, s.lo)
                    || scan.of(SeeObject).any(|o| o.lo == s.hi || o.lo == s.hi + 1)
                    || s.hi >= scan.norm.toks.len()
                    || scan.clause(s.hi) != scan.clause(s.lo))
        })
        .collect();
    push_pairs(&mut out, VisionChange, "cannot+see", cant_see);

    // Vascular occlusion: a colour, cold or breaking skin on a face area.
    let places = [Area, Lips, Bruise];
    // With filler named, a long sentence may put the colour far from the area ("my cheek has
    // been kinda numb since my filler yesterday and it looks grey-ish").
    let reach = if filler { 16 } else { 10 };
    for (x, y) in scan.pairs(&[ColorStrong], &places, reach) {
        out_push(&mut out, VascularOcclusion, "colour+area", x, y);
    }
    let weak_ok = treatment || has_live(scan, Pain) || scan.has(Worse) || scan.has(Spreading);
    if weak_ok {
        for (x, y) in scan.pairs(&[ColorWeak], &places, 10) {
            out_push(
                &mut out,
                VascularOcclusion,
                "dark colour+area+treatment",
                x,
                y,
            );
        }
    }
    // Blisters and crusts are expected after a laser or a peel, not after an injection.
    let injected = filler || (treatment && !scan.has(Resurfacing));
    if injected {
        for (x, y) in scan.pairs(&[Cold, Breakdown], &places, 8) {
            out_push(
                &mut out,
                VascularOcclusion,
                "cold/breakdown+area+filler",
                x,
                y,
            );
        }
        for h in scan.of(Breakdown) {
            out_push(&mut out, VascularOcclusion, "breakdown+filler", *h, *h);
        }
    }
    // Severe or escalating pain after filler (or after an injection, on a face area).
    if filler || scan.has(Area) {
        for (x, y) in scan.pairs(&[Pain], &[Severe], 8) {
            out_push(&mut out, VascularOcclusion, "severe pain+filler", x, y);
        }
        for (x, y) in scan
            .pairs(&[Pain], &[Worse], 6)
            .into_iter()
            .filter(|(p, w)| p.lo < w.lo)
        {
            out_push(
                &mut out,
                VascularOcclusion,
                "severe pain+filler (worsening)",
                x,
                y,
            );
        }
    }
    // A colour and a cold patch anywhere in the message, the filler named earlier ("kind of
    // grey?? and the left side feels cold" after a check-in about lip filler).
    if (ctx.area || ctx.filler) && treatment {
        let colour = scan
            .hits
            .iter()
            .find(|h| concept_in(h.lex, &[ColorStrong, ColorWeak]));
        if let (Some(x), Some(y)) = (colour, scan.of(Cold).next()) {
            out_push(
                &mut out,
                VascularOcclusion,
                "colour+cold+context filler",
                *x,
                *y,
            );
        }
    }
    // Only the colour is in this message ("it's getting darker"); the area and filler were in
    // earlier turns.
    if ctx.area && treatment && !scan.has(Area) {
        for (x, y) in scan.pairs(&[ColorStrong, ColorWeak, Cold], &[Change, Worse], 3) {
            out_push(
                &mut out,
                VascularOcclusion,
                "colour+context area+filler",
                x,
                y,
            );
        }
    }

    // Infection.
    // Fever and local signs anywhere in the message ("...bigger than this morning. Also chills").
    for f in scan.of(Fever) {
        let local = [Red, Hot, Swell, Spreading, Infected, Pain, Breakdown];
        for l in scan.hits.iter().filter(|h| concept_in(h.lex, &local)) {
            out_push(&mut out, Infection, "fever+local signs", *f, *l);
        }
    }
    for (x, y) in scan.pairs(&[Red], &[Spreading], 4) {
        out_push(&mut out, Infection, "spreading redness", x, y);
    }
    for (x, y) in scan.pairs(
        &[Infected],
        &[Area, Filler, Injection, Treatment, Lips, Change],
        6,
    ) {
        out_push(&mut out, Infection, "infected area", x, y);
    }

    // Stroke.
    for (x, y) in scan.pairs(&[Droop], &[Face, Lips], 5) {
        let other = scan.has(Speech) || scan.has(Numb) || scan.has(Fast);
        if other || !treatment {
            out_push(&mut out, Stroke, "face droop", x, y);
        }
    }
    for (x, y) in scan.pairs(&[Droop, Numb], &[Speech], 12) {
        out_push(&mut out, Stroke, "droop/numb+speech", x, y);
    }

    // Fainting.
    for (x, y) in scan.pairs(&[Dizzy], &[Very, Fast, Severe, Blur], 3) {
        out_push(&mut out, Fainting, "very dizzy", x, y);
    }
    for (x, y) in scan.pairs(&[Dizzy, Chest], &[Palp], 12) {
        out_push(&mut out, Fainting, "dizzy+heart racing", x, y);
    }

    // Indirect self-harm: finality wrapped in an ordinary request ("give my credits to my
    // sister, I won't need them after this weekend"). Two kinds of sign together, or
    // hopelessness said outright, unless the message gives an ordinary reason it does not
    // negate ("I won't need the package, I'm moving to Denver"; but "no, not moving").
    let ordinary = scan.of(OrdinaryReason).any(|h| {
        !scan
            .hits
            .iter()
            .any(|n| n.lex == Lex::Concept(Neg) && n.hi <= h.lo && h.lo - n.hi <= 1)
    });
    if !ordinary {
        for h in scan.of(Hopeless) {
            out_push(&mut out, SelfHarm, "hopelessness", *h, *h);
        }
        let mut kinds: Vec<Hit> = [GiveAway, Farewell, Finality, TimeBound, LowMood]
            .into_iter()
            .filter_map(|c| scan.of(c).next().copied())
            .collect();
        // A sign in an earlier turn ("can I gift my sessions?", "I've been really low") and
        // finality in this one ("just won't be around", "there isn't going to be a next
        // month for me").
        if ctx.self_harm_signs && scan.has(Finality) {
            kinds.push(kinds[0]);
        }
        if let [x, y, ..] = kinds[..] {
            out_push(&mut out, SelfHarm, "finality+giving away/farewell", x, y);
        }
    }

    // Self-harm plan: pills saved up, too many pills.
    for (x, y) in scan.pairs(&[Pills], &[Stockpile], 5) {
        out_push(&mut out, SelfHarm, "pills+stockpile", x, y);
    }

    // An alarm word with any symptom.
    let symptoms = [
        Swell,
        Pain,
        Dizzy,
        ColorWeak,
        ColorStrong,
        Hives,
        Red,
        Numb,
        Droop,
        Eye,
        Breathe,
        Throat,
        Tongue,
        Chest,
        Fever,
        Breakdown,
        Blur,
    ];
    if let Some(a) = scan.of(Alarm).next() {
        if let Some(s) = scan.hits.iter().find(|h| concept_in(h.lex, &symptoms)) {
            out_push(&mut out, GeneralEmergency, "alarm+symptom", *a, *s);
        }
    }
    out
}

fn push_pairs(out: &mut Vec<Cand>, sign: Sign, rule: &str, pairs: Vec<(Hit, Hit)>) {
    for (x, y) in pairs {
        out_push(out, sign, rule, x, y);
    }
}

fn out_push(out: &mut Vec<Cand>, sign: Sign, rule: &str, x: Hit, y: Hit) {
    out.push(Cand {
        sign,
        source: MatchSource::Rule,
        pattern: rule.to_string(),
        lo: x.lo.min(y.lo),
        hi: x.hi.max(y.hi),
        parts: [(x.lo, x.hi), (y.lo, y.hi)],
    });
}

/// Is the evidence at tokens `lo..` negated? A negation binds to the first symptom word after
/// it ("no pain my lip is white": the "no" is spent on "pain"), except across "or"/"nor"
/// ("no white or blue patches").
fn negated_at(scan: &Scan, lo: usize) -> bool {
    let clause = scan.clause(lo);
    scan.of(C::Neg).any(|n| {
        n.hi <= lo
            && n.lo + NEG_WINDOW >= lo
            && scan.clause(n.lo) == clause
            && !scan.hits.iter().any(|h| {
                h.lo >= n.hi && h.hi <= lo && concept_in(h.lex, &SYMPTOMS) && !continues(scan, h.hi)
            })
    }) || scan.of(C::Neg).any(|n| n.lo <= lo && lo < n.hi)
}

/// Does the word at `i` continue a negated list ("or", "nor", "ni", "o")?
fn continues(scan: &Scan, i: usize) -> bool {
    scan.norm
        .toks
        .get(i)
        .and_then(|t| scan.norm.text.get(t.ns..t.ne))
        .is_some_and(|w| matches!(w, "or" | "nor" | "ni" | "o"))
}

/// Is a hit of concept `c` in the message that is not negated?
fn has_live(scan: &Scan, c: C) -> bool {
    scan.of(c).any(|h| !negated_at(scan, h.lo))
}

/// Why (if at all) a candidate is not counted.
fn guard(scan: &Scan, c: &Cand) -> Option<SetAside> {
    use C::*;
    let clause = scan.clause(c.lo);
    let sentence = scan.sentence(c.lo);
    let figure_before = scan
        .of(FigureOfSpeech)
        .any(|f| f.hi <= c.lo && f.hi + 2 >= c.lo && scan.sentence(f.lo) == sentence);
    if c.sign == Sign::SelfHarm {
        // Only "clearly about something else": "can't go on Tuesday", "me quiero morir de la
        // pena", "on a scale of 1 to i-want-to-die".
        let figure_after = scan
            .of(FigureOfSpeech)
            .any(|f| f.lo >= c.hi && f.lo <= c.hi + 1);
        let scale = scan.of(FigureOfSpeech).any(|f| {
            scan.sentence(f.lo) == sentence
                && f.hi <= c.lo
                && scan
                    .norm
                    .text
                    .get(scan.norm.toks.get(f.lo).map_or(0, |t| t.ns)..)
                    .is_some_and(|t| t.starts_with("scale") || t.starts_with("on a scale"))
        });
        if figure_after || scale {
            return Some(SetAside::Figurative);
        }
        let ambiguous = matches!(
            c.pattern.as_str(),
            "end it" | "ending it" | "end things" | "ending things" | "cant go on"
        );
        if ambiguous && scan.of(Business).any(|b| scan.sentence(b.lo) == sentence) {
            return Some(SetAside::Figurative);
        }
        if c.pattern == "cant go on" {
            let next = scan
                .hits
                .iter()
                .any(|h| h.lo == c.hi && concept_in(h.lex, &[Schedule]));
            let number = scan
                .norm
                .toks
                .get(c.hi)
                .and_then(|t| scan.norm.text.get(t.ns..t.ne))
                .is_some_and(|w| w.starts_with(|ch: char| ch.is_ascii_digit()));
            if next || number {
                return Some(SetAside::Figurative);
            }
        }
        return None;
    }
    if c.parts.iter().any(|&(lo, _)| negated_at(scan, lo)) {
        return Some(SetAside::Negated);
    }
    // Hypothetical or past: "what if my lip turns white", "signs of occlusion", "can filler cause
    // blindness" - unless the same clause says it is happening now.
    let hypo = scan.of(Hypo).any(|h| {
        h.lo <= c.lo
            && h.lo + HYPO_WINDOW >= c.lo
            && scan.sentence(h.lo) == sentence
            && (scan.clause(h.lo) == clause || scan.norm.is_question(c.lo))
    });
    let present = scan.of(Present).any(|p| scan.clause(p.lo) == clause);
    if hypo && !present {
        return Some(SetAside::Hypothetical);
    }
    // Figurative: "can't breathe I'm laughing", "I almost fainted at the bill", "the bill gave me
    // a stroke".
    if figure_before && c.source == MatchSource::Phrase {
        return Some(SetAside::Figurative);
    }
    if matches!(
        c.sign,
        Sign::BreathingTrouble
            | Sign::Fainting
            | Sign::ChestPain
            | Sign::Stroke
            | Sign::GeneralEmergency
    ) {
        // Laughter colours its own sentence, and the whole text when no treatment is named
        // (unless "not lol"); after a treatment, a laugh in another sentence is a patient
        // playing a symptom down ("pressure in my chest ... prob just anxiety lol"), not a
        // figure of speech. Money and eagerness colour only their sentence.
        let other_evidence = scan.has(Throat) || scan.has(Swell) || scan.has(Hives);
        let treated = scan.has(Filler) || scan.has(Injection) || scan.has(Treatment);
        let laugh = !scan.has(Serious)
            && scan
                .of(Laugh)
                .any(|h| !treated || scan.sentence(h.lo) == sentence);
        let near = scan
            .hits
            .iter()
            .any(|h| concept_in(h.lex, &[Money, Eager]) && scan.sentence(h.lo) == sentence);
        if !other_evidence && (laugh || near) {
            return Some(SetAside::Figurative);
        }
    }
    // A bruise's colour, or a tint there for weeks (Tyndall effect), is not an acute occlusion
    // unless pain, cold or escalation say otherwise.
    if c.sign == Sign::VascularOcclusion && c.source == MatchSource::Rule {
        let bruise_here = scan.has(Bruise);
        let chronic = scan.has(Chronic);
        let alarm = has_live(scan, Cold)
            || has_live(scan, Worse)
            || has_live(scan, Spreading)
            || has_live(scan, Breakdown)
            || scan
                .pairs(&[Pain], &[Severe], 8)
                .iter()
                .any(|(p, s)| !negated_at(scan, p.lo) && !negated_at(scan, s.lo))
            || c.pattern.starts_with("severe");
        let strong_white = scan.of(ColorStrong).any(|h| {
            scan.sentence(h.lo) == sentence
                && scan
                    .norm
                    .toks
                    .get(h.lo)
                    .and_then(|t| scan.norm.text.get(t.ns..t.ne))
                    .is_some_and(|w| !w.starts_with("blu") && !w.starts_with("azul"))
        });
        if !alarm && (chronic || (bruise_here && !strong_white)) {
            return Some(SetAside::Benign);
        }
    }
    None
}

/// Concepts that say something may be wrong with the body: a symptom, a sign or a general
/// medical word. In a language the model was not trained on, any one of them sends the message
/// to staff as urgent, since nothing else can tell a side effect from an emergency there.
const MEDICAL_CUES: &[C] = &[
    C::Pain,
    C::Severe,
    C::Worse,
    C::Swell,
    C::Bruise,
    C::ColorStrong,
    C::ColorWeak,
    C::Cold,
    C::Breakdown,
    C::Eye,
    C::Vision,
    C::Blur,
    C::Breathe,
    C::Throat,
    C::Tongue,
    C::Chest,
    C::Swallow,
    C::Hives,
    C::Fever,
    C::Red,
    C::Hot,
    C::Spreading,
    C::Infected,
    C::Droop,
    C::Speech,
    C::Numb,
    C::Dizzy,
    C::Palp,
    C::Hoarse,
    C::ThroatOdd,
    C::Alarm,
    C::Pills,
    C::Medical,
    // Hopelessness or a low mood said outright, or a sign of saying goodbye ("I won't be
    // here anyway", "thank you for everything", giving things away): in a language the model
    // cannot read, nothing else weighs the ordinary reading against the other, so a person
    // reads it now.
    C::Hopeless,
    C::LowMood,
    C::Finality,
    C::Farewell,
    C::GiveAway,
];

/// Reads `scan` (the patient's message) with `ctx` (earlier turns) and `prev` (the last earlier
/// turn, which may be a clinic question the patient is answering).
pub(crate) fn assess(
    text: &str,
    scan: &Scan,
    ctx: Context,
    prev: Option<&Scan>,
    patterns: &[Cow<'static, str>],
) -> UrgencyAssessment {
    let mut result = UrgencyAssessment::default();
    let span = |lo: usize, hi: usize| -> (usize, usize) {
        let toks = &scan.norm.toks;
        let s = toks.get(lo).map_or(0, |t| t.os);
        let e = toks.get(hi.saturating_sub(1)).map_or(text.len(), |t| t.oe);
        (s, e.max(s))
    };
    for c in candidates(scan, ctx, patterns) {
        let (start, end) = span(c.lo, c.hi);
        let m = UrgencyMatch {
            sign: c.sign,
            source: c.source,
            pattern: c.pattern.clone(),
            start,
            end,
        };
        match guard(scan, &c) {
            None => push_unique(&mut result.matches, m),
            Some(why) => {
                if !result.set_aside.iter().any(|(x, w)| *x == m && *w == why) {
                    result.set_aside.push((m, why));
                }
            }
        }
    }
    result.medical_cue = scan.hits.iter().any(|h| concept_in(h.lex, MEDICAL_CUES));
    // "Yes" to the clinic's question about an emergency sign ("Is the area white or cold?").
    if let Some(p) = prev {
        let yes_first = scan
            .hits
            .iter()
            .any(|h| h.lo == 0 && h.lex == Lex::Concept(C::Yes));
        let neg_first = scan
            .hits
            .iter()
            .any(|h| h.lex == Lex::Concept(C::Neg) && scan.clause(h.lo) == scan.clause(0));
        if yes_first && !neg_first {
            let asked: Vec<Cand> = candidates(p, ctx, patterns)
                .into_iter()
                .filter(|c| p.norm.is_question(c.lo) && guard(p, c).is_none())
                .collect();
            for c in asked {
                let (start, end) = span(0, 1);
                push_unique(
                    &mut result.matches,
                    UrgencyMatch {
                        sign: c.sign,
                        source: MatchSource::Rule,
                        pattern: format!("yes to clinic question ({})", c.pattern),
                        start,
                        end,
                    },
                );
            }
        }
    }
    result
}

fn push_unique(v: &mut Vec<UrgencyMatch>, m: UrgencyMatch) {
    if !v.contains(&m) {
        v.push(m);
    }
}

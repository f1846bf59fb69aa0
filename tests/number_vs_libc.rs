//! Differential test: `engine::number` against glibc itself.
//!
//! A small C program applies Redis 7.0.15's checks around glibc's `strtod`/`strtold`/`printf`
//! (getDoubleFromObject, zslParseRange, string2ld, ld2string(LD_STR_HUMAN), `%.17g`, and the x87
//! `long double +`). It is compiled with `cc` and fed tens of thousands of seeded inputs; every
//! answer must match ours byte for byte. Without a C compiler the test fails: it never skips.

use incr_lab::engine::number::{format_f64, parse_f64, parse_f64_range, LongDouble};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Reads one command per line, answers one line each. Inputs are hex so any byte can be sent.
const HARNESS_C: &str = r#"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LONG_DOUBLE_CHARS (5 * 1024)

static size_t unhex(const char *h, char *out) {
    size_t n = 0;
    while (isxdigit((unsigned char)h[0]) && isxdigit((unsigned char)h[1])) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (char)v;
        h += 2;
    }
    out[n] = '\0';
    return n;
}

static long double ld_from_hex(const char *h) {
    unsigned char b[sizeof(long double)] = {0};
    unsigned se;
    unsigned long long m;
    sscanf(h, "%4x%16llx", &se, &m);
    uint16_t se16 = (uint16_t)se;
    uint64_t m64 = m;
    memcpy(b, &m64, 8);
    memcpy(b + 8, &se16, 2);
    long double v;
    memcpy(&v, b, sizeof v);
    return v;
}

static void print_ld_bits(long double v) {
    unsigned char b[sizeof(long double)];
    memcpy(b, &v, sizeof v);
    uint64_t m;
    uint16_t se;
    memcpy(&m, b, 8);
    memcpy(&se, b + 8, 2);
    printf("%04x%016llx", se, (unsigned long long)m);
}

/* Redis' ld2string(..., LD_STR_HUMAN). */
static void print_human(long double value) {
    static char buf[MAX_LONG_DOUBLE_CHARS];
    if (isinf(value)) { fputs(value > 0 ? "inf" : "-inf", stdout); return; }
    if (isnan(value)) { fputs("nan", stdout); return; }
    int l = snprintf(buf, sizeof buf, "%.17Lf", value);
    if (l + 1 > (int)sizeof buf) { fputs("<overflow>", stdout); return; }
    if (strchr(buf, '.') != NULL) {
        char *p = buf + l - 1;
        while (*p == '0') { p--; l--; }
        if (*p == '.') l--;
    }
    if (l == 2 && buf[0] == '-' && buf[1] == '0') { buf[0] = '0'; l = 1; }
    buf[l] = '\0';
    fputs(buf, stdout);
}

static void print_double_bits(double v) {
    uint64_t u;
    memcpy(&u, &v, 8);
    printf("ok %016llx", (unsigned long long)u);
}

int main(void) {
    static char line[1 << 16];
    static char bytes[1 << 15];
    while (fgets(line, sizeof line, stdin)) {
        char cmd = line[0];
        const char *arg = line + 2;
        if (cmd == 'd') { /* getDoubleFromObject */
            size_t len = unhex(arg, bytes);
            char *eptr;
            errno = 0;
            double v = strtod(bytes, &eptr);
            if (len == 0 || isspace((unsigned char)bytes[0]) || (size_t)(eptr - bytes) != len ||
                (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || fpclassify(v) == FP_ZERO)) ||
                isnan(v))
                fputs("err", stdout);
            else
                print_double_bits(v);
        } else if (cmd == 'r') { /* zslParseRange, one bound */
            unhex(arg, bytes);
            char *eptr;
            double v = strtod(bytes, &eptr);
            if (eptr[0] != '\0' || isnan(v))
                fputs("err", stdout);
            else
                print_double_bits(v);
        } else if (cmd == 'l') { /* string2ld */
            size_t len = unhex(arg, bytes);
            char *eptr;
            long double v = 0;
            int ok = !(len == 0 || len >= MAX_LONG_DOUBLE_CHARS);
            if (ok) {
                errno = 0;
                v = strtold(bytes, &eptr);
                ok = !(isspace((unsigned char)bytes[0]) || eptr[0] != '\0' ||
                       (size_t)(eptr - bytes) != len ||
                       (errno == ERANGE &&
                        (v == HUGE_VAL || v == -HUGE_VAL || fpclassify(v) == FP_ZERO)) ||
                       isnan(v));
            }
            if (ok) {
                fputs("ok ", stdout);
                print_ld_bits(v);
                fputs(" ", stdout);
                print_human(v);
            } else {
                fputs("err", stdout);
            }
        } else if (cmd == 'g') { /* %.17g */
            unsigned long long u;
            sscanf(arg, "%16llx", &u);
            double v;
            memcpy(&v, &u, 8);
            printf("%.17g", v);
        } else if (cmd == 'h') { /* ld2string human of an 80-bit value */
            print_human(ld_from_hex(arg));
        } else if (cmd == 'a') { /* long double addition */
            volatile long double a = ld_from_hex(arg);
            volatile long double b = ld_from_hex(arg + 21);
            long double s = a + b;
            if (isnan(s)) {
                fputs("nan", stdout);
            } else {
                print_ld_bits(s);
                fputs(" ", stdout);
                print_human(s);
            }
        } else if (cmd == 'x') { /* exact decimal expansion */
            printf("%.1200Le", ld_from_hex(arg));
        }
        putchar('\n');
    }
    return 0;
}
"#;

/// SplitMix64: a tiny seeded generator, the same on every platform.
struct Rng(incr_lab::simulation::rng::Rng);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(incr_lab::simulation::rng::Rng::new(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (i128::from(hi) - i128::from(lo) + 1) as u128;
        (i128::from(lo) + (u128::from(self.next()) % span) as i128) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    fn digits(&mut self, n: usize, alphabet: &[u8]) -> String {
        (0..n).map(|_| self.pick(alphabet) as char).collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn ld_hex(v: LongDouble) -> String {
    format!("{:020x}", v.to_bits())
}

/// Compiles the harness and runs it over `input`, one answer line per input line.
fn run_harness(input: &str) -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("number_vs_libc");
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let source = dir.join("harness.c");
    let binary = dir.join("harness");
    std::fs::write(&source, HARNESS_C).expect("write harness.c");
    let status = Command::new("cc")
        .args(["-O2", "-std=gnu11", "-o"])
        .arg(&binary)
        .arg(&source)
        .arg("-lm")
        .status()
        .expect("this test needs a C compiler: `cc` could not be run (install gcc)");
    assert!(status.success(), "cc failed to compile the glibc harness");
    let mut child = Command::new(&binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run harness");
    let mut stdin = child.stdin.take().expect("stdin");
    let owned = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(owned.as_bytes()));
    let output = child.wait_with_output().expect("harness output");
    writer
        .join()
        .expect("writer thread")
        .expect("write to harness");
    assert!(output.status.success(), "harness crashed");
    String::from_utf8(output.stdout)
        .expect("harness output is ASCII")
        .lines()
        .map(str::to_string)
        .collect()
}

/// A decimal string: optional sign, digits, point, exponent, with wild exponents.
fn random_decimal(rng: &mut Rng) -> String {
    let mut s = rng.pick(&["", "", "-", "+"]).to_string();
    let long = rng.chance(3);
    let int_len = if long { rng.below(700) } else { rng.below(22) } as usize;
    let frac_len = if long { rng.below(700) } else { rng.below(22) } as usize;
    if rng.chance(20) {
        s.push_str(&"0".repeat(rng.below(30) as usize));
    }
    s.push_str(&rng.digits(int_len, b"0123456789"));
    if frac_len > 0 || rng.chance(50) {
        s.push('.');
        if rng.chance(30) {
            s.push_str(&"0".repeat(rng.below(400) as usize));
        }
        s.push_str(&rng.digits(frac_len, b"0123456789"));
    }
    if rng.chance(70) {
        s.push(rng.pick(&['e', 'E']));
        s.push_str(rng.pick(&["", "-", "+", "-"]));
        let exp = match rng.below(7) {
            0 => rng.range(0, 30),
            1 => rng.range(280, 345),
            2 => rng.range(4900, 4970),
            3 => rng.range(0, 6000),
            4 => rng.range(0, 999_999_999),
            5 => rng.range(1_000_000_000, i64::MAX),
            _ => rng.range(0, 400),
        };
        if rng.chance(5) {
            s.push_str("000");
        }
        let _ = write!(s, "{exp}");
    }
    s
}

/// A hexadecimal float, exponents around both formats' limits.
fn random_hex(rng: &mut Rng) -> String {
    let mut s = rng.pick(&["", "-", "+"]).to_string();
    s.push_str(rng.pick(&["0x", "0X"]));
    let alphabet = b"0123456789abcdefABCDEF";
    let max = if rng.chance(5) { 45 } else { 18 };
    let int_len = rng.below(max) as usize;
    s.push_str(&rng.digits(int_len, alphabet));
    if rng.chance(60) {
        s.push('.');
        let frac_len = rng.below(max) as usize;
        s.push_str(&rng.digits(frac_len, alphabet));
    }
    if rng.chance(85) {
        s.push(rng.pick(&['p', 'P']));
        s.push_str(rng.pick(&["", "-", "+"]));
        let exp = match rng.below(5) {
            0 => rng.range(0, 70),
            1 => rng.range(1000, 1200),
            2 => rng.range(16300, 16600),
            3 => rng.range(0, 20000),
            _ => rng.range(0, i64::MAX),
        };
        let _ = write!(s, "{exp}");
    }
    s
}

fn random_special(rng: &mut Rng) -> String {
    let word = rng.pick(&[
        "inf",
        "INF",
        "Inf",
        "infinity",
        "INFINITY",
        "InFiNiTy",
        "infin",
        "infinit",
        "nan",
        "NaN",
        "nan()",
        "nan(123)",
        "nan(abc_9)",
        "nan(",
        "nan(x y)",
        "in",
        "na",
    ]);
    let sign = rng.pick(&["", "-", "+"]);
    let tail = rng.pick(&["", "", "", "x", " ", "\0", "1"]);
    format!("{sign}{word}{tail}")
}

fn random_garbage(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(11) as usize;
    let alphabet = b"0123456789.eEpPxX+-infatyINFATY() \t\n\x0b\x0c\r\0abcdef";
    (0..len).map(|_| rng.pick(alphabet)).collect()
}

fn random_integerish(rng: &mut Rng) -> String {
    let base = rng.pick(&[
        i64::MAX as i128,
        i64::MIN as i128,
        u64::MAX as i128,
        1 << 53,
        1 << 64,
        0,
    ]);
    let v = base + rng.range(-3000, 3000) as i128;
    let prefix = rng.pick(&["", "", "", "0", "+", " "]);
    let suffix = rng.pick(&["", "", "", ".0", ".", "e0", " "]);
    format!("{prefix}{v}{suffix}")
}

/// A value that makes a rounding tie in x87 (65 significant bits) or f64 (54 bits), written
/// exactly, or nudged just above or below.
fn random_tie(rng: &mut Rng) -> String {
    let bits = rng.pick(&[54u32, 65]);
    let m: u128 =
        (1u128 << (bits - 1)) | u128::from(rng.next()) << 1 & ((1u128 << (bits - 1)) - 1) | 1;
    let mut s = if rng.chance(50) {
        // m × 2^j, an integer
        (m << rng.below(60)).to_string()
    } else {
        // m / 2^k = m × 5^k / 10^k
        let k = rng.below(28) as u32;
        let digits = format!("{:0>40}", m * 5u128.pow(k));
        let (int, frac) = digits.split_at(digits.len() - k as usize);
        let int = int.trim_start_matches('0');
        format!("{}.{frac}", if int.is_empty() { "0" } else { int })
    };
    match rng.below(3) {
        0 => {}
        1 => {
            if !s.contains('.') {
                s.push('.');
            }
            s.push_str("000000000000000000000000001");
        }
        _ => {
            // one less in the last place: just below the tie
            let mut b = s.into_bytes();
            for c in b.iter_mut().rev() {
                match *c {
                    b'.' => continue,
                    b'0' => *c = b'9',
                    _ => {
                        *c -= 1;
                        break;
                    }
                }
            }
            s = String::from_utf8(b).unwrap();
        }
    }
    if rng.chance(30) {
        // move the point with an exponent
        s = format!("{s}e{}", rng.range(-5, 5));
    }
    s
}

/// Rust's own renderings of random doubles, as users would type them.
fn random_rendered(rng: &mut Rng) -> String {
    let v = f64::from_bits(rng.next());
    let v = if v.is_finite() { v } else { 1.5 };
    match rng.below(4) {
        0 => format!("{v:e}"),
        1 => format!("{v:.20e}"),
        2 => format!("{:.3}", v % 1e6),
        _ => format!("{v}"),
    }
}

/// Midpoints between neighbouring doubles, as x87 values (they fit in 64 bits).
fn f64_midpoint(rng: &mut Rng) -> LongDouble {
    let bits = rng.next() & !(1 << 63);
    let biased = (bits >> 52) as i64;
    let bits = if biased == 0x7ff {
        bits ^ (1 << 62)
    } else {
        bits
    };
    let biased = (bits >> 52) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    };
    let mid = 2 * u128::from(m) + 1; // × 2^(e-1)
    let shift = mid.leading_zeros() as i64 - 64;
    let significand = (mid << shift) as u64;
    let exponent_field = (e - 1 - shift) + 16445 + 1;
    LongDouble::from_bits((exponent_field as u128) << 64 | u128::from(significand))
}

/// Values below the smallest normal whose bit right after the significand is set: where glibc's
/// rounding drops that bit. Returns `(significand, binary exponent of its last bit)`.
fn subnormal_quirk(rng: &mut Rng, precision: u32, emin: i64) -> (u128, i64) {
    let mut m: u128 = 1 << precision | 1;
    for bit in 1..precision {
        let dense = rng.chance(50);
        if (dense && rng.chance(50)) || (!dense && rng.chance(4)) {
            m |= 1 << bit;
        }
    }
    // leading bit exponent in [emin - precision, emin - 1]
    let lead = emin - rng.range(1, i64::from(precision));
    (m, lead - i64::from(precision))
}

/// Random 80-bit values, mostly where `%.17Lf` prints interesting digits.
fn random_long_double(rng: &mut Rng) -> LongDouble {
    let sign: u128 = if rng.chance(50) { 1 << 79 } else { 0 };
    let exp: u128 = match rng.below(4) {
        0 => rng.below(0x7fff) as u128,
        1 => 0,
        _ => (16383 + rng.range(-75, 75)) as u128,
    };
    let mut significand = rng.next();
    if rng.chance(30) {
        // few significant bits: exact decimal ties appear
        significand &= !((1u64 << rng.below(64)) - 1);
    }
    if exp == 0 {
        significand &= !(1 << 63);
    } else {
        significand |= 1 << 63;
    }
    LongDouble::from_bits(sign | exp << 64 | u128::from(significand))
}

#[test]
fn numbers_match_glibc_and_redis_checks() {
    let mut rng = Rng::new(0x5eed_2024_0007_0015);

    // Phase 1: exact decimal expansions of f64 midpoints (hard rounding cases), from glibc.
    let midpoints: Vec<LongDouble> = (0..1500).map(|_| f64_midpoint(&mut rng)).collect();
    let requests: String = midpoints
        .iter()
        .map(|v| format!("x {}\n", ld_hex(*v)))
        .collect();
    // ... and of f64 values that hit glibc's subnormal rounding quirk.
    let mut quirks: Vec<(u128, i64)> = (0..1500)
        .map(|_| subnormal_quirk(&mut rng, 53, -1022))
        .collect();
    let requests: String = requests
        + &quirks
            .iter()
            .map(|&(m, e)| {
                let shift = m.leading_zeros() as i64 - 64;
                let significand = (m << shift) as u64;
                let field = (e - shift) + 16445 + 1;
                format!(
                    "x {:020x}\n",
                    (field as u128) << 64 | u128::from(significand)
                )
            })
            .collect::<String>();
    quirks.extend((0..1500).map(|_| subnormal_quirk(&mut rng, 64, -16382)));
    let mut texts: Vec<Vec<u8>> = quirks
        .iter()
        .map(|&(m, e)| format!("0x{m:x}p{e}").into_bytes())
        .collect();
    for exact in run_harness(&requests) {
        let (mantissa, exp) = exact.split_once('e').expect("%Le output");
        let mantissa = mantissa.trim_end_matches('0');
        texts.push(format!("{mantissa}e{exp}").into_bytes());
        texts.push(format!("{mantissa}000001e{exp}").into_bytes());
        let shorter = &mantissa[..mantissa.len() - 1];
        texts.push(format!("{shorter}e{exp}").into_bytes());
    }

    // Phase 2: everything else.
    for i in 0..24_000 {
        let text = match i % 10 {
            0..=2 => random_decimal(&mut rng).into_bytes(),
            3 => random_hex(&mut rng).into_bytes(),
            4 => random_special(&mut rng).into_bytes(),
            5 => random_garbage(&mut rng),
            6 => random_integerish(&mut rng).into_bytes(),
            7 => random_tie(&mut rng).into_bytes(),
            8 => random_rendered(&mut rng).into_bytes(),
            _ => random_hex(&mut rng).into_bytes(),
        };
        texts.push(text);
    }
    let hand: &[&[u8]] = &[
        b"0.1",
        b"10.5",
        b"5.0e3",
        b"1e-4951",
        b"3.6e-4951",
        b"1.8e-4951",
        b"1.9e-4951",
        b"1.18973149535723176502e4932",
        b"1.18973149535723176509e4932",
        b"1.2e4932",
        b"0x1p-16445",
        b"0x1p-16446",
        b"0x1.0000000000000001p-16446",
        b"0x1p16384",
        b"0x1.ffffffffffffffffp16383",
        b"0x1.fffffffffffffffe8p16383",
        b"0x1p-1074",
        b"0x1p-1075",
        b"0x1.0000000000001p-1075",
        b"0x1p1024",
        b"0x1.fffffffffffff8p1023",
        b"0x.8",
        b"0x.",
        b"0x.p1",
        b"0xp1",
        b"0x1p",
        b"0x1p+",
        b"0x1.",
        b"1.",
        b".5",
        b".",
        b"-.e1",
        b"",
        b" ",
        b"\t1",
        b"1\t",
        b"\x001",
        b"1\x00",
        b"1\x002",
        b"0e-999999999999999999999",
        b"0x0p99999999999999999999",
        b"1e-999999999999999999999",
        b"1e999999999999999999999",
        b"00000000000000000000000000000000000000001e-330",
        b"2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
        b"2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328126e-324",
        b"9007199254740993",
        b"18446744073709551617",
        b"36893488147419103233",
        b"+-1",
        b"--1",
        b"1e+-1",
        b"infinityinfinity",
    ];
    texts.extend(hand.iter().map(|t| t.to_vec()));
    // A few inputs at string2ld's length limit.
    let mut long = b"1.".to_vec();
    long.resize(5118, b'3');
    texts.push(long.clone());
    long.push(b'3');
    texts.push(long.clone());
    long.push(b'3');
    texts.push(long);

    let mut input = String::new();
    let mut expected = Vec::new();
    let describe = |t: &[u8]| format!("{:?}", String::from_utf8_lossy(t));
    for t in &texts {
        let _ = writeln!(input, "d {}", hex(t));
        expected.push((
            format!("parse_f64 {}", describe(t)),
            parse_f64(t).map_or("err".to_string(), |v| format!("ok {:016x}", v.to_bits())),
        ));
        if t.len() < 10_000 {
            let _ = writeln!(input, "r {}", hex(t));
            expected.push((
                format!("parse_f64_range {}", describe(t)),
                parse_f64_range(t)
                    .map_or("err".to_string(), |v| format!("ok {:016x}", v.to_bits())),
            ));
        }
        let _ = writeln!(input, "l {}", hex(t));
        expected.push((
            format!("LongDouble::parse {}", describe(t)),
            LongDouble::parse(t).map_or("err".to_string(), |v| {
                format!("ok {} {}", ld_hex(v), v.to_human_string())
            }),
        ));
    }
    let text_cases = texts.len();

    // %.17g over random bit patterns, parsed values and exact ties.
    let mut doubles: Vec<f64> = (0..12_000).map(|_| f64::from_bits(rng.next())).collect();
    doubles.extend(texts.iter().filter_map(|t| parse_f64(t)));
    doubles.extend((0..2000).map(|_| (4e15 + (2 * rng.below(1 << 40) + 1) as f64) / 4.0));
    doubles.extend((0..60).map(|i| 10f64.powi(i - 30)));
    doubles.extend([
        0.0,
        -0.0,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        f64::INFINITY,
        -f64::INFINITY,
    ]);
    for &v in &doubles {
        let _ = writeln!(input, "g {:016x}", v.to_bits());
        expected.push((format!("format_f64 {v:e}"), format_f64(v)));
    }

    // ld2string human form of random 80-bit values and of everything parsed above.
    let mut longs: Vec<LongDouble> = (0..15_000).map(|_| random_long_double(&mut rng)).collect();
    longs.extend(midpoints.iter().copied());
    for &v in &longs {
        let _ = writeln!(input, "h {}", ld_hex(v));
        expected.push((
            format!("to_human_string {}", ld_hex(v)),
            v.to_human_string(),
        ));
    }

    // x87 addition: human-sized decimals, close exponents (cancellation), extremes.
    let parsed: Vec<LongDouble> = texts.iter().filter_map(|t| LongDouble::parse(t)).collect();
    let mut pairs = Vec::new();
    for _ in 0..20_000 {
        let pair = match rng.below(5) {
            0 => {
                let a = format!("{}.{}", rng.range(-999, 999), rng.below(1000));
                let b = format!("{}e{}", rng.range(-99, 99), rng.range(-3, 3));
                (
                    LongDouble::parse(a.as_bytes()).unwrap(),
                    LongDouble::parse(b.as_bytes()).unwrap(),
                )
            }
            1 => {
                let a = random_long_double(&mut rng);
                let delta = rng.range(-70, 70);
                let b_bits = random_long_double(&mut rng).to_bits() & !(0x7fff << 64);
                let exp = ((a.to_bits() >> 64) & 0x7fff) as i64 + delta;
                let b = LongDouble::from_bits(b_bits | ((exp.clamp(1, 0x7ffe) as u128) << 64));
                (a, b)
            }
            2 => {
                let a = random_long_double(&mut rng);
                (a, LongDouble::from_bits(a.to_bits() ^ (1 << 79)))
            }
            3 => (rng.pick(&parsed), rng.pick(&parsed)),
            _ => (random_long_double(&mut rng), random_long_double(&mut rng)),
        };
        pairs.push(pair);
    }
    let inf = LongDouble::parse(b"inf").unwrap();
    let zero = LongDouble::from_i64(0);
    let neg_zero = LongDouble::parse(b"-0").unwrap();
    let max = LongDouble::parse(b"0x1.fffffffffffffffep16383").unwrap();
    let tiny = LongDouble::parse(b"0x1p-16445").unwrap();
    for a in [inf, zero, neg_zero, max, tiny] {
        for b in [inf, zero, neg_zero, max, tiny] {
            pairs.push((a, b));
            pairs.push((a, LongDouble::from_bits(b.to_bits() ^ (1 << 79))));
        }
    }
    for &(a, b) in &pairs {
        let _ = writeln!(input, "a {} {}", ld_hex(a), ld_hex(b));
        let s = a.add(b);
        let ours = if s.is_nan() {
            "nan".to_string()
        } else {
            format!("{} {}", ld_hex(s), s.to_human_string())
        };
        expected.push((format!("add {} {}", ld_hex(a), ld_hex(b)), ours));
    }

    let answers = run_harness(&input);
    assert_eq!(answers.len(), expected.len(), "harness answered every line");
    let mismatches: Vec<String> = expected
        .iter()
        .zip(&answers)
        .filter(|((_, ours), libc)| ours != *libc)
        .map(|((what, ours), libc)| format!("{what}\n   ours: {ours}\n   libc: {libc}"))
        .collect();
    println!(
        "compared {} answers: {text_cases} texts × (strtod, zslParseRange, strtold), {} %.17g, \
         {} %.17Lf, {} additions",
        expected.len(),
        doubles.len(),
        longs.len(),
        pairs.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches with glibc, first ones:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(25)].join("\n")
    );
}

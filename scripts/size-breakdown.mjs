// Groups the items of `twiggy top --format csv` by crate (and, for incr_lab, by module) and prints a
// table: one column per csv given. Used by scripts/size-breakdown.sh; a benchmark print, not a test.
//
//   node scripts/size-breakdown.mjs [--depth N] [--top N] LABEL=FILE.csv [LABEL=FILE.csv ...]
//
// The last csv is the one the percentages, the sort order and the `--top` list refer to.
// Attribution: `<X as Trait>::f` counts for X's crate when X is a path (`<f64 as core::fmt::..>`
// counts for core); `core::ptr::drop_in_place<X>` counts for X's crate; generic code counts for the
// crate that defines it (`hashbrown::..::insert` is hashbrown whatever it stores). The name sections
// are left out: the page's wasm has none.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let depth = 2;
let top = 25;
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--depth') depth = Number(args[++i]);
  else if (args[i] === '--top') top = Number(args[++i]);
  else {
    const eq = args[i].indexOf('=');
    if (eq < 0) throw new Error(`expected LABEL=FILE.csv, got ${args[i]}`);
    inputs.push({ label: args[i].slice(0, eq), file: args[i].slice(eq + 1) });
  }
}
if (inputs.length === 0) throw new Error('no csv given');

// One csv line: NAME,SHALLOW,SHALLOW%,RETAINED,RETAINED% where NAME may be quoted ("" escapes ").
function parseLine(line) {
  const m = /,(\d+),[^,]*,[^,]*,[^,]*$/.exec(line);
  if (!m) return null;
  let name = line.slice(0, m.index);
  if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replaceAll('""', '"');
  return { name, bytes: Number(m[1]) };
}

// The crate (and module, up to `depth` levels below incr_lab) a demangled Rust path belongs to, or
// null when `s` does not start with a path.
function pathGroup(s) {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)((?:::[A-Za-z_][A-Za-z0-9_]*)*)/.exec(s);
  if (!m || !s.slice(m[1].length).startsWith('::')) return null;
  const crate = m[1];
  if (crate !== 'incr_lab') return crate;
  // Module levels only: stop at the first segment that starts with a capital (a type) or is the
  // last one (a function).
  const segs = (m[1] + m[2]).split('::');
  const mods = [];
  for (let i = 1; i < segs.length - 1 && mods.length < depth; i++) {
    if (/^[A-Z]/.test(segs[i])) break;
    mods.push(segs[i]);
  }
  return ['incr_lab', ...mods].join('::');
}

function group(name) {
  if (/^"(function|data|local|type|global|table|memory|elem|label|field|tag)? ?names" subsection$/.test(name) ||
      name.startsWith('"') && name.endsWith('names" subsection') || name === 'custom section \'name\'' ||
      name.endsWith(' subsection')) return null;
  if (name.startsWith('data segment')) return '[data segments: .rodata, .data]';
  if (name.startsWith('custom section')) return '[custom sections]';
  if (/^(type|table|memory|global|elem|import|export|func|code)\[|section headers|^wasm magic|^export "|^import /.test(name))
    return '[wasm structure: types, imports, exports, tables]';
  // wasm-streams' #[wasm_bindgen] exports (Leptos links it in): exports survive every optimiser.
  if (/^intounderlying/.test(name)) return 'wasm_streams';
  if (/externref shim$|^__wbindgen_|^__wbg_|^__externref_|^wasm_bindgen__/.test(name)) return 'wasm_bindgen';
  let s = name.replace(/\[[0-9a-f]{16}\]/g, '');
  // drop glue belongs to the dropped type
  const drop = /^core::ptr::drop_in_place<(.*)>(::h[0-9a-f]+)?$/.exec(s);
  if (drop) s = drop[1];
  s = s.replace(/^\(+/, '');
  for (let guard = 0; guard < 8 && s.startsWith('<'); guard++) {
    const inner = s.slice(1);
    const g = pathGroup(inner);
    if (g) return g;
    const as = inner.indexOf(' as ');
    if (as >= 0) s = inner.slice(as + 4);
    else s = inner.replace(/^[&*]?(mut |const )?/, '');
    if (/^(\[|str|char|bool|[iuf](8|16|32|64|128|size)\b)/.test(s)) return 'core';
  }
  const g = pathGroup(s);
  if (g) return g;
  if (/^__|^(memcpy|memmove|memset|memcmp|bcmp|round|fmin|fmax|floor|ceil|trunc|fmod|pow|exp|log)[a-z0-9]*$/.test(s))
    return 'compiler_builtins';
  if (s === 'main') return 'incr_lab::main';
  return '[other: ' + s.slice(0, 40) + ']';
}

const tables = inputs.map(({ label, file }) => {
  const lines = readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean);
  const byGroup = new Map();
  const items = [];
  let total = 0;
  for (const line of lines) {
    const it = parseLine(line);
    if (!it) continue;
    const g = group(it.name);
    if (g === null) continue;
    total += it.bytes;
    byGroup.set(g, (byGroup.get(g) ?? 0) + it.bytes);
    items.push({ ...it, group: g });
  }
  return { label, byGroup, items, total };
});

const last = tables[tables.length - 1];
const groups = [...new Set(tables.flatMap((t) => [...t.byGroup.keys()]))];
groups.sort((a, b) => (last.byGroup.get(b) ?? 0) - (last.byGroup.get(a) ?? 0) || a.localeCompare(b));

const pad = (s, n) => String(s).padStart(n);
console.log(tables.map((t) => pad(t.label, 12)).join('') + pad(`% ${last.label}`, 8) + '  group');
for (const g of groups) {
  const cells = tables.map((t) => pad(t.byGroup.get(g) ?? 0, 12)).join('');
  const pct = (100 * (last.byGroup.get(g) ?? 0)) / last.total;
  console.log(cells + pad(pct.toFixed(1), 8) + '  ' + g);
}
console.log(tables.map((t) => pad(t.total, 12)).join('') + pad('100.0', 8) + '  total (name sections left out)');

if (top > 0) {
  console.log(`\nlargest ${top} items of ${last.label}:`);
  last.items.sort((a, b) => b.bytes - a.bytes);
  for (const it of last.items.slice(0, top)) {
    console.log(pad(it.bytes, 8) + '  ' + it.name.replace(/\[[0-9a-f]{16}\]/g, '').slice(0, 130));
  }
}

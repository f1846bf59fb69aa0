//! The bytes of FUNCTION DUMP and what FUNCTION RESTORE reads back, as Redis 7.0.15 writes them
//! (`rdbSaveFunctions`, `functionDumpCommand`, `verifyDumpPayload`, `rdbFunctionLoad`): for each
//! library the opcode `RDB_OPCODE_FUNCTION2` (245) and its code as an RDB string — LZF-compressed
//! past 20 bytes when that saves at least 4, with liblzf's own choices (`lzf_c.c`, Redis' build:
//! `HLOG` 16, `VERY_FAST`), so the payload is Redis' byte for byte —, then the RDB version (10,
//! little-endian) and the CRC-64 (Jones polynomial, reflected) of everything before it.

/// `RDB_VERSION` in Redis 7.0.
pub const RDB_VERSION: u16 = 10;
/// `RDB_OPCODE_FUNCTION2`: a library's code (7.0 GA).
const OPCODE_FUNCTION2: u8 = 245;
/// `RDB_OPCODE_FUNCTION`: a library as 7.0-rc1/rc2 wrote it (name, engine, description, body).
const OPCODE_FUNCTION: u8 = 246;

/// Redis' `crc64(0, …)`: CRC-64/Jones, reflected, no final xor (`crc64("123456789")` is
/// `0xe9c6d914c4b8d9ca`).
pub fn crc64(bytes: &[u8]) -> u64 {
    const POLY: u64 = 0x95ac_9329_ac4b_c9b5; // 0xad93d23594c935a9 reflected
    let mut crc = 0u64;
    for &b in bytes {
        crc ^= u64::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
        }
    }
    crc
}

/// `rdbSaveLen`
fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 1 << 6 {
        out.push(len as u8);
    } else if len < 1 << 14 {
        out.extend_from_slice(&[0x40 | (len >> 8) as u8, len as u8]);
    } else if let Ok(len) = u32::try_from(len) {
        out.push(0x80);
        out.extend_from_slice(&len.to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&(len as u64).to_be_bytes());
    }
}

/// `rdbSaveRawString` for a library's code (always longer than 11 bytes, so never an integer).
fn push_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.len() > 20 {
        if let Some(compressed) = lzf_compress(s, s.len() - 4) {
            out.push(0xC3);
            push_len(out, compressed.len());
            push_len(out, s.len());
            out.extend_from_slice(&compressed);
            return;
        }
    }
    push_len(out, s.len());
    out.extend_from_slice(s);
}

/// FUNCTION DUMP's payload for these libraries' codes, in this order.
pub fn dump<'a>(codes: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for code in codes {
        out.push(OPCODE_FUNCTION2);
        push_string(&mut out, code);
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// `verifyDumpPayload`: 10 bytes at least, a version Redis knows, the right CRC.
pub fn verify(payload: &[u8]) -> bool {
    if payload.len() < 10 {
        return false;
    }
    let footer = &payload[payload.len() - 10..];
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    if version > RDB_VERSION {
        return false;
    }
    let crc = crc64(&payload[..payload.len() - 8]);
    crc.to_le_bytes() == footer[2..]
}

/// A payload being read (`rio` over the whole buffer, footer included).
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    /// `rdbLoadLenByRef`: the length, or (true, encoding) for an encoded string.
    fn len(&mut self) -> Option<(bool, u64)> {
        let first = self.byte()?;
        Some(match first >> 6 {
            0 => (false, u64::from(first & 0x3F)),
            1 => (
                false,
                u64::from(first & 0x3F) << 8 | u64::from(self.byte()?),
            ),
            3 => (true, u64::from(first & 0x3F)),
            _ if first == 0x80 => {
                let b = self.bytes(4)?;
                (
                    false,
                    u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
                )
            }
            _ if first == 0x81 => {
                let b = self.bytes(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                (false, u64::from_be_bytes(a))
            }
            _ => return None,
        })
    }

    fn plain_len(&mut self) -> Option<usize> {
        match self.len()? {
            (false, n) => usize::try_from(n).ok(),
            (true, _) => None,
        }
    }

    /// `rdbGenericLoadStringObject`
    fn string(&mut self) -> Option<Vec<u8>> {
        match self.len()? {
            (false, n) => Some(self.bytes(usize::try_from(n).ok()?)?.to_vec()),
            (true, 0) => Some((self.byte()? as i8).to_string().into_bytes()),
            (true, 1) => {
                let b = self.bytes(2)?;
                Some(i16::from_le_bytes([b[0], b[1]]).to_string().into_bytes())
            }
            (true, 2) => {
                let b = self.bytes(4)?;
                Some(
                    i32::from_le_bytes([b[0], b[1], b[2], b[3]])
                        .to_string()
                        .into_bytes(),
                )
            }
            (true, 3) => {
                let compressed_len = self.plain_len()?;
                let len = self.plain_len()?;
                let compressed = self.bytes(compressed_len)?;
                // lzf_decompress answers 0 on an error: a match when 0 bytes were expected.
                let out = lzf_decompress(compressed, len).unwrap_or_default();
                (out.len() == len).then_some(out)
            }
            _ => None,
        }
    }
}

/// FUNCTION RESTORE's reading of a verified payload: each library's code, or Redis' error text
/// (without "ERR ").
pub fn libraries(payload: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut r = Reader {
        data: payload,
        pos: 0,
    };
    let mut codes = Vec::new();
    while payload.len() - r.pos > 10 {
        let Some(kind) = r.byte() else {
            return Err("can not read data type".into());
        };
        match kind {
            OPCODE_FUNCTION2 => match r.string() {
                Some(code) => codes.push(code),
                None => return Err("Failed loading library payload".into()),
            },
            OPCODE_FUNCTION => {
                // 7.0-rc's format: rebuilt as "#!<engine> name=<name>\n<body>".
                let name = r.string().ok_or("Failed loading library name")?;
                let engine = r.string().ok_or("Failed loading engine name")?;
                let has_description = r
                    .plain_len()
                    .ok_or("Failed loading library description indicator")?;
                if has_description != 0 {
                    r.string().ok_or("Failed loading library description")?;
                }
                let body = r.string().ok_or("Failed loading library blob")?;
                let mut code = b"#!".to_vec();
                code.extend_from_slice(&engine);
                code.extend_from_slice(b" name=");
                code.extend_from_slice(&name);
                code.push(b'\n');
                code.extend_from_slice(&body);
                codes.push(code);
            }
            _ => return Err("given type is not a function".into()),
        }
    }
    Ok(codes)
}

/// liblzf's longest literal run.
const MAX_LIT: usize = 1 << 5;

/// liblzf's `lzf_compress` as Redis builds it (`HLOG` 16, `VERY_FAST`, `ULTRA_FAST` 0, table
/// starting empty): the compressed bytes, or None when they would not fit in `out_len`.
pub fn lzf_compress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    const MAX_OFF: usize = 1 << 13;
    const MAX_REF: usize = (1 << 8) + (1 << 3);
    const NONE: usize = usize::MAX;
    let in_len = input.len();
    if in_len < 3 || out_len == 0 {
        return None;
    }
    let frst = |p: usize| u32::from(input[p]) << 8 | u32::from(input[p + 1]);
    let next = |v: u32, p: usize| v << 8 | u32::from(input[p + 2]);
    let idx = |h: u32| ((h >> 8).wrapping_sub(h.wrapping_mul(5)) & 0xFFFF) as usize;
    let mut htab = vec![NONE; 1 << 16];
    let mut out = vec![0u8; out_len];
    let (mut ip, mut op, mut lit) = (0usize, 1usize, 0usize);
    let mut hval = frst(ip);
    while ip < in_len - 2 {
        hval = next(hval, ip);
        let slot = idx(hval);
        let r = htab[slot];
        htab[slot] = ip;
        let found = r != NONE
            && r < ip
            && ip - r - 1 < MAX_OFF
            && r > 0
            && input[r + 2] == input[ip + 2]
            && input[r] == input[ip]
            && input[r + 1] == input[ip + 1];
        if found {
            let off = ip - r - 1;
            let mut len = 2usize;
            let maxlen = (in_len - ip - len).min(MAX_REF);
            if op + 3 + 1 >= out_len && op - usize::from(lit == 0) + 3 + 1 >= out_len {
                return None;
            }
            out[op - lit - 1] = (lit as u8).wrapping_sub(1);
            op -= usize::from(lit == 0);
            let mut done = false;
            if maxlen > 16 {
                for _ in 0..16 {
                    len += 1;
                    if input[r + len] != input[ip + len] {
                        done = true;
                        break;
                    }
                }
            }
            if !done {
                loop {
                    len += 1;
                    if !(len < maxlen && input[r + len] == input[ip + len]) {
                        break;
                    }
                }
            }
            len -= 2;
            ip += 1;
            if len < 7 {
                out[op] = ((off >> 8) + (len << 5)) as u8;
                op += 1;
            } else {
                out[op] = ((off >> 8) + (7 << 5)) as u8;
                out[op + 1] = (len - 7) as u8;
                op += 2;
            }
            out[op] = off as u8;
            op += 1;
            lit = 0;
            op += 1;
            ip += len + 1;
            if ip >= in_len - 2 {
                break;
            }
            ip -= 2;
            hval = frst(ip);
            hval = next(hval, ip);
            htab[idx(hval)] = ip;
            ip += 1;
            hval = next(hval, ip);
            htab[idx(hval)] = ip;
            ip += 1;
        } else {
            if op >= out_len {
                return None;
            }
            copy_literal(&mut out, &mut op, &mut lit, input[ip]);
            ip += 1;
        }
    }
    if op + 3 > out_len {
        return None;
    }
    for &byte in &input[ip..in_len] {
        copy_literal(&mut out, &mut op, &mut lit, byte);
    }
    out[op - lit - 1] = (lit as u8).wrapping_sub(1);
    op -= usize::from(lit == 0);
    out.truncate(op);
    Some(out)
}

/// Appends one literal byte at `op` to the literal run of `lit` bytes; a run that reaches
/// `MAX_LIT` gets its length byte and a new run starts after it (liblzf's literal rule, which the
/// compressor follows both in its main loop and for the input's last bytes).
fn copy_literal(out: &mut [u8], op: &mut usize, lit: &mut usize, byte: u8) {
    *lit += 1;
    out[*op] = byte;
    *op += 1;
    if *lit == MAX_LIT {
        out[*op - *lit - 1] = (*lit - 1) as u8;
        *lit = 0;
        *op += 1;
    }
}

/// liblzf's `lzf_decompress` (with its input checks): None on a malformed stream or one that does
/// not fit in `out_len` bytes.
pub fn lzf_decompress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(out_len);
    let mut ip = 0;
    while ip < input.len() {
        let ctrl = usize::from(input[ip]);
        ip += 1;
        if ctrl < 1 << 5 {
            let n = ctrl + 1;
            if out.len() + n > out_len {
                return None;
            }
            out.extend_from_slice(input.get(ip..ip + n)?);
            ip += n;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += usize::from(*input.get(ip)?);
                ip += 1;
            }
            let back = ((ctrl & 0x1F) << 8) + usize::from(*input.get(ip)?) + 1;
            ip += 1;
            if out.len() + len + 2 > out_len || back > out.len() {
                return None;
            }
            let from = out.len() - back;
            for i in 0..len + 2 {
                out.push(out[from + i]);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_is_redis_check_value() {
        assert_eq!(crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn lzf_round_trips() {
        let text = b"#!lua name=lib\nredis.register_function('f', function() return 1 end)\nredis.register_function('g', function() return 1 end)";
        let packed = lzf_compress(text, text.len() - 4).expect("compresses");
        assert!(packed.len() < text.len());
        assert_eq!(
            lzf_decompress(&packed, text.len()).as_deref(),
            Some(&text[..])
        );
        assert_eq!(lzf_compress(b"abcdefghijklmnopqrstuvwxyz", 22), None);
    }
}

//! Reads one entry of a zip file (stored or deflated), for James Clark's `xmltest.zip`, which
//! may be redistributed only unmodified, so its cases are read from inside it. Shared by
//! `tests/xml_conformance.rs` and `cargo xtask xmlconf`. Written for this project from the
//! zip format (PKWARE APPNOTE) and RFC 1951; the CRC-32 of every entry read is checked.

/// The bytes of the entry named `name` in the zip archive `zip`.
pub(crate) fn read_entry(zip: &[u8], name: &str) -> Result<Vec<u8>, String> {
    let u16_at = |at: usize| -> Result<usize, String> {
        zip.get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
            .ok_or_else(|| "truncated zip".to_owned())
    };
    let u32_at = |at: usize| -> Result<u32, String> {
        zip.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| "truncated zip".to_owned())
    };
    // End of central directory: the last `PK\x05\x06`.
    let eocd = (0..zip.len().saturating_sub(21))
        .rev()
        .find(|&i| zip[i..].starts_with(b"PK\x05\x06"))
        .ok_or("no end of central directory")?;
    let entries = u16_at(eocd + 10)?;
    let mut at = u32_at(eocd + 16)? as usize;
    for _ in 0..entries {
        if u32_at(at)? != 0x0201_4b50 {
            return Err("bad central directory entry".to_owned());
        }
        let method = u16_at(at + 10)?;
        let crc = u32_at(at + 16)?;
        let packed = u32_at(at + 20)? as usize;
        let size = u32_at(at + 24)? as usize;
        let name_len = u16_at(at + 28)?;
        let extra_len = u16_at(at + 30)?;
        let comment_len = u16_at(at + 32)?;
        let local = u32_at(at + 42)? as usize;
        let entry_name = zip
            .get(at + 46..at + 46 + name_len)
            .ok_or("truncated zip")?;
        at += 46 + name_len + extra_len + comment_len;
        if entry_name != name.as_bytes() {
            continue;
        }
        if u32_at(local)? != 0x0403_4b50 {
            return Err("bad local header".to_owned());
        }
        let start = local + 30 + u16_at(local + 26)? + u16_at(local + 28)?;
        let data = zip.get(start..start + packed).ok_or("truncated entry")?;
        let bytes = match method {
            0 => data.to_vec(),
            8 => inflate(data, size)?,
            m => return Err(format!("{name}: compression method {m} is not supported")),
        };
        if bytes.len() != size || crc32(&bytes) != crc {
            return Err(format!("{name}: wrong size or CRC after extraction"));
        }
        return Ok(bytes);
    }
    Err(format!("no entry {name:?} in the zip"))
}

/// CRC-32 (IEEE, reflected), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Bits of a deflate stream, least significant first.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    bit: u32,
}

impl Bits<'_> {
    fn bit(&mut self) -> Result<u32, String> {
        let byte = *self.data.get(self.pos).ok_or("truncated deflate stream")?;
        let b = (u32::from(byte) >> self.bit) & 1;
        self.bit += 1;
        if self.bit == 8 {
            self.bit = 0;
            self.pos += 1;
        }
        Ok(b)
    }

    fn bits(&mut self, n: u32) -> Result<u32, String> {
        let mut v = 0;
        for i in 0..n {
            v |= self.bit()? << i;
        }
        Ok(v)
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Huffman {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        counts[0] = 0;
        let mut symbols = Vec::new();
        for len in 1..16u8 {
            for (symbol, &l) in lengths.iter().enumerate() {
                if l == len {
                    symbols.push(symbol as u16);
                }
            }
        }
        Huffman { counts, symbols }
    }

    fn decode(&self, bits: &mut Bits<'_>) -> Result<u16, String> {
        // Codes of one length are consecutive; `first` is the first code of the current
        // length, `index` the position of its symbol.
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= bits.bit()? as i32;
            let count = i32::from(self.counts[len]);
            if code - first < count {
                return Ok(self.symbols[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err("invalid Huffman code".to_owned())
    }
}

const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order in which code length code lengths are sent.
const CLEN_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Decompresses a raw deflate stream (RFC 1951).
fn inflate(data: &[u8], size_hint: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(size_hint);
    let mut bits = Bits {
        data,
        pos: 0,
        bit: 0,
    };
    loop {
        let last = bits.bit()? == 1;
        match bits.bits(2)? {
            0 => {
                if bits.bit != 0 {
                    bits.bit = 0;
                    bits.pos += 1;
                }
                let header = data.get(bits.pos..bits.pos + 4).ok_or("truncated block")?;
                let len = usize::from(u16::from_le_bytes([header[0], header[1]]));
                bits.pos += 4;
                let block = data
                    .get(bits.pos..bits.pos + len)
                    .ok_or("truncated block")?;
                out.extend_from_slice(block);
                bits.pos += len;
            }
            1 => {
                let mut lengths = [0u8; 288];
                for (i, l) in lengths.iter_mut().enumerate() {
                    *l = match i {
                        0..=143 => 8,
                        144..=255 => 9,
                        256..=279 => 7,
                        _ => 8,
                    };
                }
                let lit = Huffman::new(&lengths);
                let dist = Huffman::new(&[5u8; 30]);
                codes(&mut bits, &mut out, &lit, &dist)?;
            }
            2 => {
                let hlit = bits.bits(5)? as usize + 257;
                let hdist = bits.bits(5)? as usize + 1;
                let hclen = bits.bits(4)? as usize + 4;
                let mut clen = [0u8; 19];
                for &i in &CLEN_ORDER[..hclen] {
                    clen[i] = bits.bits(3)? as u8;
                }
                let clen = Huffman::new(&clen);
                let mut lengths = Vec::with_capacity(hlit + hdist);
                while lengths.len() < hlit + hdist {
                    let (value, repeat) = match clen.decode(&mut bits)? {
                        s @ 0..=15 => (s as u8, 1),
                        16 => (
                            *lengths.last().ok_or("repeat with no previous length")?,
                            3 + bits.bits(2)?,
                        ),
                        17 => (0, 3 + bits.bits(3)?),
                        _ => (0, 11 + bits.bits(7)?),
                    };
                    for _ in 0..repeat {
                        lengths.push(value);
                    }
                }
                if lengths.len() != hlit + hdist {
                    return Err("code lengths overrun".to_owned());
                }
                let lit = Huffman::new(&lengths[..hlit]);
                let dist = Huffman::new(&lengths[hlit..]);
                codes(&mut bits, &mut out, &lit, &dist)?;
            }
            _ => return Err("invalid block type".to_owned()),
        }
        if last {
            return Ok(out);
        }
    }
}

/// One compressed block's literals and back references, up to its end code.
fn codes(
    bits: &mut Bits<'_>,
    out: &mut Vec<u8>,
    lit: &Huffman,
    dist: &Huffman,
) -> Result<(), String> {
    loop {
        let symbol = usize::from(lit.decode(bits)?);
        match symbol {
            0..=255 => out.push(symbol as u8),
            256 => return Ok(()),
            _ => {
                let i = symbol - 257;
                let len = usize::from(*LENGTH_BASE.get(i).ok_or("invalid length code")?)
                    + bits.bits(u32::from(LENGTH_EXTRA[i]))? as usize;
                let d = usize::from(dist.decode(bits)?);
                let distance = usize::from(*DIST_BASE.get(d).ok_or("invalid distance code")?)
                    + bits.bits(u32::from(DIST_EXTRA[d]))? as usize;
                if distance > out.len() {
                    return Err("distance before the start".to_owned());
                }
                for _ in 0..len {
                    out.push(out[out.len() - distance]);
                }
            }
        }
    }
}

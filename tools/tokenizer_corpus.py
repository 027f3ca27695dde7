#!/usr/bin/env python3
"""Writes the tokenizer test corpus: tests/data/tokenizer/corpus.json.

Usage: python3 tools/tokenizer_corpus.py > tests/data/tokenizer/corpus.json

Deterministic (fixed seed). Each entry is {"text": str} or, for byte strings that are not
valid UTF-8, {"hex": "..."}. tools/make_tokenizer_fixtures.py tokenizes it with llama.cpp.
"""
import json
import random

PROSE = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello world", " Hello world", "Hello World!", "hello, world", "HELLO WORLD",
    "It's a beautiful day, isn't it? We'll see; they'd know. I'm sure you've heard.",
    "IT'S LOUD. DON'T SHOUT! WE'LL GO.",
    "Mr. O'Neil's dog-friendly café opened on 5th Ave. (finally).",
    "The invoice total is $1,234.56 (incl. 19% VAT) — due 2024-03-31.",
    "Private LLMs keep company data on company servers.",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
    "e.g. i.e. etc. vs. a.m. p.m.",
    "Supercalifragilisticexpialidocious antidisestablishmentarianism",
    "URLs like https://example.com/path?query=1&x=y#frag and mail@example.org",
    "A sentence with trailing space ", "  two leading spaces", "ends with newline\n",
    "Quotes: \"double\", 'single', `backtick`, «guillemets», „low“.",
]

WHITESPACE = [
    "", " ", "  ", "   ", "    ", "\t", "\t\t", "\n", "\n\n", "\n\n\n", "\r\n", " \n", "\n ",
    "\t\n", " \t \n ", "a  b", "a   b", "a \t b", "a\n\nb", "word\n\n\n\nword", "  \n  \n  ",
    "line one\nline two\r\nline three", "trailing tabs\t\t", "\u00a0non-breaking\u00a0space",
    "\u2003em space\u2009thin", "x" + " " * 17 + "y", "\n" * 7, " " * 40,
]

UNICODE = [
    "Führer", "naïve façade coöperate", "Ærøskøbing", "İstanbul ıi", "straße STRASSE",
    "你好，世界！", "我爱自然语言处理。", "東京は日本の首都です。", "カタカナとひらがな", "한국어 문장입니다.",
    "مرحبا بالعالم", "السلام عليكم ورحمة الله", "שלום עולם", "नमस्ते दुनिया", "हिन्दी में लिखा गया वाक्य।",
    "Привет, мир!", "Ελληνικά γράμματα", "ไทย ภาษา", "Tiếng Việt có dấu", "ქართული",
    "🦙 llama", "emoji 😀😃😄😁", "👍🏽 skin tone", "👨‍👩‍👧‍👦 family ZWJ", "🏳️‍🌈 flag", "🇩🇪🇫🇷 flags",
    "❤️ heart with VS16", "e\u0301 combining acute", "Z\u0351\u0352\u0353algo", "\u200bzero\u200bwidth",
    "math: ∀x∈ℝ, x²≥0; ∑ᵢ aᵢ ≈ π", "arrows → ← ↑ ↓ ⇒", "box ┌─┐│└┘", "½ ¼ ¾ ⅓", "℃ ℉ № ™ ©",
    "mixed 中文 and English 混合", "日本語のテキストとEnglish words", "עברית and English",
    "\U0001F600\U0001F64F\U0001F680", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕄𝕒𝕥𝕙", "\U00010348 gothic", "ﬁ ligature ﬂ",
]

CODE = [
    "def add(a, b):\n    return a + b\n",
    "for (int i = 0; i < n; ++i) {\n\tsum += v[i];\n}",
    "#include <vector>\nint main() { return 0; }",
    "SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name;",
    "const x = () => { console.log(`value: ${x}`); };",
    "fn main() { println!(\"Hello, {}!\", name); }",
    "<div class=\"container\"><p>Hi &amp; bye</p></div>",
    "{\"key\": [1, 2.5, true, null], \"nested\": {\"a\": \"b\"}}",
    "x = [i**2 for i in range(10) if i % 2 == 0]",
    "if err != nil {\n\t\treturn fmt.Errorf(\"failed: %w\", err)\n\t}",
    "$ ls -la | grep '^d' > out.txt 2>&1",
    "public static void main(String[] args) throws Exception {}",
    "a==b && c!=d || !e; x+=1; y-=2; z*=3; w/=4; p%=5; q<<=1; r>>=2",
    "   indented code block\n      deeper\n   back",
    "// comment\n/* block */\n# hash comment\n-- sql comment",
    "matrix[i][j] = (a[i] * b[j]) >> 3;",
    "@decorator\nclass Foo(Bar, metaclass=Meta):\n    pass",
    "λx.λy.x y  -- lambda calculus",
]

NUMBERS = [
    "0", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678901234567890",
    "3.14159", "-42", "+7", "1e10", "6.022e23", "0x1F 0b1010 0o17", "1,000,000", "1.000.000,50",
    "2024-01-01T12:34:56Z", "192.168.0.1", "v1.2.3-beta.4", "3/4 cup", "50%", "#1", "1st 2nd 3rd",
    "٠١٢٣٤٥٦٧٨٩ arabic digits", "१२३ devanagari digits", "①②③ circled", "Ⅻ roman",
]

SPECIAL_LOOKING = [
    "<|im_start|>user\nhi<|im_end|>", "<|endoftext|>", "<s>", "</s>", "<unk>", "<pad>",
    "<start_of_turn>user\nhello<end_of_turn>", "<bos>", "<eos>", "<|eot_id|>",
    "<|begin_of_text|>", "[INST] hi [/INST]", "<<SYS>>\nsys\n<</SYS>>", "<0x41>", "<mask>",
    "< |im_start| >", "<|im_start", "im_start|>", "<|im_start|><|im_start|>", "text<|im_end|>text",
]

INVALID_BYTES = [
    b"\xff", b"\xc3", b"abc\xc3(def", b"\xe2\x82", b"\xf0\x9f\x98", b"\x80\x80\x80",
    b"valid \xc3\xa9 then \xfe\xff", b"\xed\xa0\x80 surrogate", b"\xc0\xaf overlong",
    b"mixed \xe4\xbd\xa0\xe5 cut",
]


def random_strings(rng, count):
    alphabet = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                " \t\n.,;:!?'\"()[]{}<>-_=+*/\\|@#$%^&~`"
                "éüßçñøåæœ中文字日本語한국어абвгдеαβγδ𝔘🦙😀👍\u200d\u0301")
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def random_words(rng, count):
    words = [w.strip(".,") for s in PROSE for w in s.split()] + ["中文", "日本", "Привет", "🦙"]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def main():
    rng = random.Random(20261124)
    texts = PROSE + WHITESPACE + UNICODE + CODE + NUMBERS + SPECIAL_LOOKING
    texts += random_strings(rng, 90) + random_words(rng, 60)
    entries = [{"text": text} for text in texts] + [{"hex": b.hex()} for b in INVALID_BYTES]
    print(json.dumps(entries, ensure_ascii=False, indent=0))


if __name__ == "__main__":
    main()

#include "chat/jinja/lexer.h"

#include <gtest/gtest.h>

#include "chat/render_helpers.h"

namespace inhouse::chat::jinja {
namespace {

using testing_helpers::render_text;

std::vector<Token> tokens_of(std::string_view source) {
    Result<std::vector<Token>> tokens = tokenize(source, "t");
    EXPECT_TRUE(tokens.ok()) << tokens.error().to_string();
    return tokens.ok() ? *tokens : std::vector<Token>{};
}

TEST(Lexer, SplitsTextAndTagsIntoTokens) {
    std::vector<Token> tokens = tokens_of("Hi {{ name }}!{% if x %}y{% endif %}");
    std::vector<TokenKind> kinds;
    for (const Token& token : tokens) {
        kinds.push_back(token.kind);
    }
    std::vector<TokenKind> expected = {TokenKind::Data,       TokenKind::VariableBegin,
                                       TokenKind::Name,       TokenKind::VariableEnd,
                                       TokenKind::Data,       TokenKind::BlockBegin,
                                       TokenKind::Name,       TokenKind::Name,
                                       TokenKind::BlockEnd,   TokenKind::Data,
                                       TokenKind::BlockBegin, TokenKind::Name,
                                       TokenKind::BlockEnd,   TokenKind::End};
    EXPECT_EQ(kinds, expected);
    EXPECT_EQ(tokens[0].text, "Hi ");
    EXPECT_EQ(tokens[2].text, "name");
}

TEST(Lexer, ReadsNumbersInEveryBaseAndFloats) {
    std::vector<Token> tokens = tokens_of("{{ 42 0x1F 0o17 0b101 1_000 2.5 1e3 3.0e-2 }}");
    ASSERT_EQ(tokens.size(), 11u);
    EXPECT_EQ(tokens[1].integer, 42);
    EXPECT_EQ(tokens[2].integer, 31);
    EXPECT_EQ(tokens[3].integer, 15);
    EXPECT_EQ(tokens[4].integer, 5);
    EXPECT_EQ(tokens[5].integer, 1000);
    EXPECT_EQ(tokens[6].kind, TokenKind::Float);
    EXPECT_DOUBLE_EQ(tokens[6].floating, 2.5);
    EXPECT_DOUBLE_EQ(tokens[7].floating, 1000.0);
    EXPECT_DOUBLE_EQ(tokens[8].floating, 0.03);
}

TEST(Lexer, DecodesPythonEscapesInStrings) {
    std::vector<Token> tokens = tokens_of(R"({{ 'a\n\t\\\'\x41\u00e9\101\q' }})");
    ASSERT_EQ(tokens[1].kind, TokenKind::String);
    EXPECT_EQ(tokens[1].text, "a\n\t\\'AéA\\q");
}

TEST(Lexer, PrefersTwoCharacterOperators) {
    std::vector<Token> tokens = tokens_of("{{ a // b ** c == d != e <= f >= g }}");
    std::vector<std::string> operators;
    for (const Token& token : tokens) {
        if (token.kind == TokenKind::Operator) {
            operators.push_back(token.text);
        }
    }
    EXPECT_EQ(operators, (std::vector<std::string>{"//", "**", "==", "!=", "<=", ">="}));
}

TEST(Lexer, RecordsLineAndColumnOfEachToken) {
    std::vector<Token> tokens = tokens_of("line one\n  {{ value }}");
    ASSERT_GE(tokens.size(), 3u);
    EXPECT_EQ(tokens[1].location.line, 2);
    EXPECT_EQ(tokens[1].location.column, 3);
    EXPECT_EQ(tokens[2].location.column, 6);
}

TEST(Lexer, KeepsTagEndsInsideBracketsAsOperators) {
    // "}}" inside an open brace closes the dict, not the print statement.
    EXPECT_EQ(render_text("{{ {'a': {'b': 1}} }}"), "{'a': {'b': 1}}");
}

TEST(Lexer, TrimsTheNewlineAfterABlockTag) {
    EXPECT_EQ(render_text("{% if true %}\nx\n{% endif %}\ny"), "x\ny");
    EXPECT_EQ(render_text("{{ 'v' }}\nnext"), "v\nnext");
}

TEST(Lexer, StripsIndentationBeforeBlockTagsOnly) {
    EXPECT_EQ(render_text("a\n    {% if true %}b{% endif %}"), "a\nb");
    EXPECT_EQ(render_text("a\n    {{ 'b' }}"), "a\n    b");
    EXPECT_EQ(render_text("a\n  x {% if true %}b{% endif %}"), "a\n  x b");
    EXPECT_EQ(render_text("    {# comment #}\nz"), "z");
}

TEST(Lexer, HonoursMinusAndPlusWhitespaceControl) {
    EXPECT_EQ(render_text("a \n {{- 'b' -}} \n c"), "abc");
    EXPECT_EQ(render_text("a\n  {%+ if true %}b{% endif %}"), "a\n  b");
    EXPECT_EQ(render_text("{% if true +%}\nb{% endif %}"), "\nb");
}

TEST(Lexer, DropsOneTrailingNewlineAndNormalizesLineEnds) {
    EXPECT_EQ(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc");
    EXPECT_EQ(normalize_newlines("a\n\n"), "a\n");
}

TEST(Lexer, PassesRawBlocksThroughUnparsed) {
    EXPECT_EQ(render_text("{% raw %}{{ x }}{% endraw %}"), "{{ x }}");
    EXPECT_EQ(render_text("{%- raw -%} {{ y }} {%- endraw -%}"), "{{ y }}");
}

TEST(Lexer, ReportsAnUnclosedCommentWithItsLine) {
    Result<std::vector<Token>> tokens = tokenize("ok\n{# never closed", "chat template");
    ASSERT_FALSE(tokens.ok());
    EXPECT_EQ(tokens.error().message(),
              "chat template line 2, column 3: Missing end of comment tag");
}

TEST(Lexer, ReportsUnexpectedCharactersAndUnbalancedBrackets) {
    Result<std::vector<Token>> bad_char = tokenize("{{ a ! b }}", "t");
    ASSERT_FALSE(bad_char.ok());
    EXPECT_EQ(bad_char.error().message(), "t line 1, column 6: unexpected char '!'");
    Result<std::vector<Token>> unbalanced = tokenize("{{ (a] }}", "t");
    ASSERT_FALSE(unbalanced.ok());
    EXPECT_EQ(unbalanced.error().message(), "t line 1, column 6: unexpected ']', expected ')'");
}

TEST(Lexer, RefusesIntegerLiteralsBeyondSixtyFourBits) {
    EXPECT_FALSE(tokenize("{{ 99999999999999999999 }}", "t").ok());
}

}  // namespace
}  // namespace inhouse::chat::jinja

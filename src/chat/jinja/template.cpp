#include "chat/jinja/template.h"

#include "chat/jinja/interpreter.h"
#include "chat/jinja/lexer.h"
#include "chat/jinja/parser.h"
#include "core/utf8.h"

namespace inhouse::chat::jinja {

Result<Template> Template::parse(std::string_view source, const ParseOptions& options) {
    if (source.size() > options.max_source_bytes) {
        return make_error(ErrorCode::InvalidFormat, "{} is {} bytes, over the limit of {} bytes",
                          options.template_name, source.size(), options.max_source_bytes);
    }
    if (std::optional<std::size_t> bad = find_invalid_utf8(source)) {
        return make_error(ErrorCode::InvalidFormat, "{} is not valid UTF-8 (byte {})",
                          options.template_name, *bad);
    }
    std::string normalized = normalize_newlines(source);
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Token> tokens,
                             tokenize(normalized, options.template_name));
    INHOUSE_ASSIGN_OR_RETURN(Body body, parse_template(tokens, options.template_name));
    return Template(options.template_name, std::make_shared<const Body>(std::move(body)));
}

Result<std::string> Template::render(const std::vector<std::pair<std::string, Value>>& variables,
                                     const RenderOptions& options) const {
    Interpreter interpreter(name_, options.limits, options.now);
    return interpreter.render(*body_, variables);
}

}  // namespace inhouse::chat::jinja

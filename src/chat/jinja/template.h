// A Jinja template parsed once and rendered many times, with the semantics of Python's
// jinja2 in the environment transformers uses for chat templates
// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, tojson with
// ensure_ascii=False, raise_exception, strftime_now). Rendering is sandboxed: a template sees
// only the variables it is given and runs within RenderLimits.
#pragma once

#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/jinja/ast.h"
#include "chat/jinja/limits.h"
#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

struct ParseOptions {
    // Prefix of every error message: "<name> line 3, column 7: …".
    std::string template_name = "template";
    std::size_t max_source_bytes = std::size_t{1} << 20;
};

struct RenderOptions {
    RenderLimits limits;
    // What strftime_now() formats; all zero (1900-01-00) unless the caller sets it.
    std::tm now{};
};

class Template {
public:
    // Fails on text that is not UTF-8, over the size limit, or not valid template syntax; the
    // message names the line and column.
    static Result<Template> parse(std::string_view source, const ParseOptions& options = {});

    // Renders with the given top-level variables. Errors name the template line: syntax the
    // parser accepted but the data cannot satisfy, raise_exception() (ErrorCode::InvalidArgument),
    // or a limit reached (ErrorCode::Unsupported).
    Result<std::string> render(const std::vector<std::pair<std::string, Value>>& variables,
                               const RenderOptions& options = {}) const;

    const std::string& name() const { return name_; }

private:
    Template(std::string name, std::shared_ptr<const Body> body)
        : name_(std::move(name)), body_(std::move(body)) {}

    std::string name_;
    std::shared_ptr<const Body> body_;
};

}  // namespace inhouse::chat::jinja

// The `loop` variable inside a for loop: index, index0, revindex, revindex0, first, last,
// length, previtem, nextitem, depth, depth0, cycle(…) and changed(…), as jinja2's
// LoopContext. One object serves the whole loop and advances with it, so a copy kept in a
// variable sees the current iteration, as in jinja2.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "chat/jinja/render_context.h"

namespace inhouse::chat::jinja {

class LoopObject final : public AttributeHolder {
public:
    explicit LoopObject(std::shared_ptr<const std::vector<Value>> items)
        : items_(std::move(items)), state_(std::make_shared<State>()) {}

    void set_index(std::size_t index) { state_->index = index; }

    std::string type_name() const override { return "LoopContext"; }
    std::string repr() const override;
    Value attribute(std::string_view name) const override;

private:
    // Shared with the cycle() and changed() methods bound from this loop.
    struct State {
        std::size_t index = 0;
        std::optional<Value> last_changed;
    };

    std::shared_ptr<const std::vector<Value>> items_;
    std::shared_ptr<State> state_;
};

}  // namespace inhouse::chat::jinja

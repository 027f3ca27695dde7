#include "chat/jinja/loop_object.h"

#include "chat/jinja/python_ops.h"

namespace inhouse::chat::jinja {

namespace {

class LoopMethod final : public Callable {
public:
    enum class Kind { Cycle, Changed };

    template <typename State>
    LoopMethod(Kind kind, std::shared_ptr<State> state, std::size_t* index,
               std::optional<Value>* last_changed)
        : kind_(kind), keep_alive_(std::move(state)), index_(index), last_changed_(last_changed) {}

    std::string type_name() const override { return "method"; }
    std::string repr() const override {
        return kind_ == Kind::Cycle ? "<bound method LoopContext.cycle>"
                                    : "<bound method LoopContext.changed>";
    }

    Result<Value> call(RenderContext& context, const CallValues& arguments) const override {
        INHOUSE_RETURN_IF_ERROR(context.charge_steps(1));
        if (!arguments.keyword.empty()) {
            return make_error(ErrorCode::InvalidFormat, "loop methods take no keyword arguments");
        }
        if (kind_ == Kind::Cycle) {
            if (arguments.positional.empty()) {
                return make_error(ErrorCode::InvalidFormat, "no items for cycling given");
            }
            return arguments.positional[*index_ % arguments.positional.size()];
        }
        Value current = Value::tuple(arguments.positional);
        if (*last_changed_ && python_equals(**last_changed_, current)) {
            return Value::boolean(false);
        }
        *last_changed_ = current;
        return Value::boolean(true);
    }

private:
    Kind kind_;
    std::shared_ptr<void> keep_alive_;
    std::size_t* index_;
    std::optional<Value>* last_changed_;
};

}  // namespace

std::string LoopObject::repr() const {
    return fmt::format("<LoopContext {}/{}>", state_->index + 1, items_->size());
}

Value LoopObject::attribute(std::string_view name) const {
    auto index = static_cast<std::int64_t>(state_->index);
    auto length = static_cast<std::int64_t>(items_->size());
    if (name == "index")
        return Value::integer(index + 1);
    if (name == "index0")
        return Value::integer(index);
    if (name == "revindex")
        return Value::integer(length - index);
    if (name == "revindex0")
        return Value::integer(length - index - 1);
    if (name == "first")
        return Value::boolean(index == 0);
    if (name == "last")
        return Value::boolean(index == length - 1);
    if (name == "length")
        return Value::integer(length);
    if (name == "depth")
        return Value::integer(1);
    if (name == "depth0")
        return Value::integer(0);
    if (name == "previtem") {
        return index > 0 ? (*items_)[state_->index - 1]
                         : Value::undefined("there is no previous item");
    }
    if (name == "nextitem") {
        return index + 1 < length ? (*items_)[state_->index + 1]
                                  : Value::undefined("there is no next item");
    }
    if (name == "cycle" || name == "changed") {
        return Value::object(std::make_shared<LoopMethod>(
            name == "cycle" ? LoopMethod::Kind::Cycle : LoopMethod::Kind::Changed, state_,
            &state_->index, &state_->last_changed));
    }
    return Value();
}

}  // namespace inhouse::chat::jinja

// `inhouse keys create|list|revoke` and `inhouse usage`: the API keys of `inhouse serve` and what
// each has used, in $INHOUSE_HOME/access.db. A key is printed once, when created; only a salted
// hash of it is kept.
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "access/access_db.h"
#include "cli/access_database.h"
#include "cli/command.h"

namespace inhouse::cli {

namespace {

std::string date_text(std::int64_t unix_seconds) {
    const auto seconds = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &utc);
    return text;
}

std::string limit_text(std::int64_t value) { return value > 0 ? fmt::format("{}", value) : "-"; }

struct CreateArgs {
    std::string name;
    access::KeyLimits limits;
};

int create_key(const CreateArgs& args) {
    auto db = open_access_db();
    if (!db.ok()) return report_error(db.error().to_string());
    auto key = (*db)->create_key(args.name, args.limits);
    if (!key.ok()) return report_error(key.error().to_string());
    fmt::print("{}\n", *key);
    fmt::print(stderr,
               "Key '{}' created. It is shown only now: store it where its user keeps secrets. Clients send it as\n"
               "  Authorization: Bearer <key>\n"
               "and `inhouse serve` requires a key on every /v1 request from now on.\n",
               args.name);
    return kExitOk;
}

int list_keys() {
    auto db = open_access_db();
    if (!db.ok()) return report_error(db.error().to_string());
    auto keys = (*db)->list_keys();
    if (!keys.ok()) return report_error(keys.error().to_string());
    if (keys->empty()) {
        fmt::print("no keys (create one with `inhouse keys create --name NAME`)\n");
        return kExitOk;
    }
    fmt::print("{:<24} {:<22} {:<17} {:<17} {:>8} {:>10} {:>14} {:>14}\n", "name", "key", "created (UTC)", "revoked",
               "rpm", "tpm", "quota", "tokens used");
    for (const auto& key : *keys) {
        const auto used = (*db)->tokens_used(key.id);
        fmt::print("{:<24} {:<22} {:<17} {:<17} {:>8} {:>10} {:>14} {:>14}\n", key.name, "ihk_" + key.id + "_…",
                   date_text(key.created_unix), key.revoked_unix ? date_text(*key.revoked_unix) : "-",
                   limit_text(key.limits.requests_per_minute), limit_text(key.limits.tokens_per_minute),
                   limit_text(key.limits.quota_tokens), used.ok() ? fmt::format("{}", *used) : "?");
    }
    return kExitOk;
}

int revoke_key(const std::string& name) {
    auto db = open_access_db();
    if (!db.ok()) return report_error(db.error().to_string());
    if (auto revoked = (*db)->revoke_key(name); !revoked.ok()) return report_error(revoked.error().to_string());
    fmt::print("revoked '{}': requests with it are refused from now on\n", name);
    return kExitOk;
}

struct UsageArgs {
    double days = 30;
    bool json = false;
};

int show_usage(const UsageArgs& args) {
    auto db = open_access_db();
    if (!db.ok()) return report_error(db.error().to_string());
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const auto since = now_ms - static_cast<std::int64_t>(args.days * 86'400'000.0);
    auto totals = (*db)->usage_totals(since);
    if (!totals.ok()) return report_error(totals.error().to_string());
    if (args.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& t : *totals) {
            out.push_back({{"key", t.key_name}, {"key_id", t.key_id}, {"requests", t.requests},
                           {"prompt_tokens", t.prompt_tokens}, {"completion_tokens", t.completion_tokens}});
        }
        fmt::print("{}\n", out.dump(2));
        return kExitOk;
    }
    fmt::print("usage over the last {:g} day(s)\n", args.days);
    fmt::print("{:<24} {:>10} {:>14} {:>18}\n", "key", "requests", "prompt tokens", "completion tokens");
    for (const auto& t : *totals) {
        fmt::print("{:<24} {:>10} {:>14} {:>18}\n", t.key_name, t.requests, t.prompt_tokens, t.completion_tokens);
    }
    return kExitOk;
}

}  // namespace

void add_keys_command(CLI::App& app, Action& action) {
    auto* keys = app.add_subcommand("keys", "API keys for `inhouse serve`: create, list, revoke");
    keys->require_subcommand(1);

    auto create_args = std::make_shared<CreateArgs>();
    auto* create = keys->add_subcommand("create", "Create a key (printed once)");
    create->add_option("--name", create_args->name, "Who or what the key is for")->required();
    create->add_option("--rpm", create_args->limits.requests_per_minute, "Requests per minute (0: no limit)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
    create->add_option("--tpm", create_args->limits.tokens_per_minute, "Tokens per minute (0: no limit)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
    create->add_option("--quota", create_args->limits.quota_tokens, "Tokens over the key's life (0: no limit)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 50));
    create->callback([create_args, &action] { action = [create_args] { return create_key(*create_args); }; });

    auto* list = keys->add_subcommand("list", "List keys, their limits and the tokens they used");
    list->callback([&action] { action = [] { return list_keys(); }; });

    auto name = std::make_shared<std::string>();
    auto* revoke = keys->add_subcommand("revoke", "Revoke a key: refused from the next request on");
    revoke->add_option("name", *name, "The key's name")->required();
    revoke->callback([name, &action] { action = [name] { return revoke_key(*name); }; });
}

void add_usage_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<UsageArgs>();
    auto* usage = app.add_subcommand("usage", "Requests and tokens per API key");
    usage->add_option("--days", args->days, "Over the last N days")->capture_default_str()->check(CLI::Range(0.0, 1e5));
    usage->add_flag("--json", args->json, "Print JSON");
    usage->callback([args, &action] { action = [args] { return show_usage(*args); }; });
}

}  // namespace inhouse::cli

#!/usr/bin/env python3
"""Renders chat templates with Python's jinja2 to make golden fixtures for tests/chat.

Command (from the repository root):
    python3 -m venv /tmp/jinja-venv && /tmp/jinja-venv/bin/pip install jinja2==3.1.6
    /tmp/jinja-venv/bin/python tools/render_templates.py

Pinned: jinja2 3.1.6 (the script refuses another version).

The environment reproduces what transformers' apply_chat_template builds
(transformers/utils/chat_template_utils.py): ImmutableSandboxedEnvironment with
trim_blocks=True, lstrip_blocks=True, the loopcontrols extension, a `{% generation %}` tag that
only renders its body, a tojson filter that is json.dumps with ensure_ascii=False, and the
globals raise_exception and strftime_now. Templates are rendered as transformers does:
messages, tools=None, documents=None, add_generation_prompt and the special tokens.
strftime_now reports a fixed time so the fixtures are reproducible.

Writes, into tests/data/templates/:
  <template>.json   for every <template>.jinja there: the template rendered for a set of
                    conversations, each case with its variables and the expected text or the
                    error jinja2 raised;
  features.json     small templates exercising the interpreter's features one by one.
"""
import datetime
import json
import sys
from pathlib import Path

import jinja2
import jinja2.ext
from jinja2 import nodes
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

JINJA2_VERSION = "3.1.6"
FIXED_NOW = datetime.datetime(2024, 7, 26, 14, 5, 9)
DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "templates"

# Special tokens of each model, as its tokenizer_config.json names them. None: not set, so the
# variable is not passed at all (it stays undefined in the template).
SPECIAL_TOKENS = {
    "HuggingFaceTB-SmolLM2-135M-Instruct": ("<|im_start|>", "<|im_end|>"),
    "Qwen-Qwen2.5-7B-Instruct": (None, "<|im_end|>"),
    "meta-llama-Llama-3.1-8B-Instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "meta-llama-Llama-3.2-3B-Instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "mistralai-Mistral-Nemo-Instruct-2407": ("<s>", "</s>"),
    "microsoft-Phi-3.5-mini-instruct": ("<s>", "<|endoftext|>"),
    "google-gemma-2-2b-it": ("<bos>", "<eos>"),
    "google-gemma-3-it": ("<bos>", "<eos>"),
    "NousResearch-Hermes-3-Llama-3.1-8B-tool_use": ("<|begin_of_text|>", "<|im_end|>"),
    "CohereForAI-c4ai-command-r7b-12-2024-tool_use": ("<BOS_TOKEN>", "<|END_OF_TURN_TOKEN|>"),
    "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
}


class GenerationTag(jinja2.ext.Extension):
    """`{% generation %}…{% endgeneration %}` renders its body, as in transformers."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        call = self.call_method("_render_body")
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render_body(self, caller):
        return caller()


def make_environment():
    def raise_exception(message):
        raise TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def strftime_now(format):
        return FIXED_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationTag, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "The city, e.g. Paris"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"],
                         "description": "Temperature unit"},
            },
            "required": ["city"],
        },
    },
}

TOOL_CALL_ARGUMENTS = {"city": "Paris", "unit": "celsius"}


def conversations():
    """(name, messages, add_generation_prompt, extra variables) for every model template."""
    system = {"role": "system", "content": "You are a helpful assistant."}
    user = {"role": "user", "content": "Hello! How are you?"}
    assistant = {"role": "assistant", "content": "I am fine, thank you. How can I help?"}
    follow_up = {"role": "user", "content": "What is the capital of France?"}
    tool_call = {
        "role": "assistant",
        "content": "",
        "tool_calls": [{"id": "call12345", "type": "function",
                        "function": {"name": "get_weather", "arguments": TOOL_CALL_ARGUMENTS}}],
    }
    tool_result = {"role": "tool", "tool_call_id": "call12345", "name": "get_weather",
                   "content": "{\"temperature\": 22, \"unit\": \"celsius\"}"}
    return [
        ("system_and_user", [system, user], True, {}),
        ("system_and_user_without_prompt", [system, user], False, {}),
        ("user_only", [user], True, {}),
        ("multi_turn", [system, user, assistant, follow_up], True, {}),
        ("multi_turn_without_system", [user, assistant, follow_up], True, {}),
        ("ends_with_assistant", [user, assistant], False, {}),
        ("whitespace_around_content",
         [{"role": "system", "content": "  Be brief.\n"},
          {"role": "user", "content": "\n\n  Tell me a joke.  \n"},
          {"role": "assistant", "content": " Why did the chicken cross the road?\n\n"},
          {"role": "user", "content": "\tWhy?"}], True, {}),
        ("unicode_content",
         [{"role": "user", "content": "Café ☕ — 你好 👋 \u00e9\u0301"},
          {"role": "assistant", "content": "Ça va? 😊 Ünïcödé"},
          {"role": "user", "content": "«Merci» — ありがとう"}], True, {}),
        ("content_as_text_parts",
         [{"role": "system", "content": [{"type": "text", "text": "You are terse."}]},
          {"role": "user", "content": [{"type": "text", "text": "Describe "},
                                       {"type": "text", "text": "this."}]}], True, {}),
        ("non_alternating_roles", [user, follow_up], True, {}),
        ("assistant_first", [assistant, user], True, {}),
        ("empty_conversation", [], True, {}),
        ("system_only", [system], True, {}),
        ("with_tools", [system, user], True, {"tools": [WEATHER_TOOL]}),
        ("with_tools_no_system", [follow_up], True, {"tools": [WEATHER_TOOL]}),
        ("with_tools_multi_turn", [user, assistant, follow_up], True, {"tools": [WEATHER_TOOL]}),
        ("with_documents", [user], True,
         {"documents": [{"title": "Menu", "text": "Soup of the day: tomato."},
                        {"title": "Hours", "text": "Open 9–17, closed Sundays."}]}),
        ("tool_call_round_trip",
         [system, follow_up, tool_call, tool_result], True, {"tools": [WEATHER_TOOL]}),
        ("quotes_and_template_syntax",
         [{"role": "user", "content": "He said \"{{ not a tag }}\" and {% raw %} 'ok' \\n"}],
         True, {}),
    ]


def render_case(template, variables):
    try:
        return {"expected": template.render(**variables)}
    except Exception as error:  # the fixture records jinja2's failure, whatever its type
        return {"error": str(error), "error_type": type(error).__name__}


def model_fixture(env, path):
    stem = path.stem
    bos_token, eos_token = SPECIAL_TOKENS[stem]
    template = env.from_string(path.read_text(encoding="utf-8"))
    cases = []
    for name, messages, add_generation_prompt, extra in conversations():
        variables = {"messages": messages, "tools": None, "documents": None,
                     "add_generation_prompt": add_generation_prompt}
        if bos_token is not None:
            variables["bos_token"] = bos_token
        if eos_token is not None:
            variables["eos_token"] = eos_token
        variables.update(extra)
        case = {"name": name, "variables": variables}
        case.update(render_case(template, json.loads(json.dumps(variables))))
        cases.append(case)
    return {"template_file": path.name, "cases": cases}


def feature_cases():
    """(name, template, variables): one interpreter feature each."""
    people = [{"name": "Ann", "age": 31, "role": "admin"},
              {"name": "bob", "age": 25, "role": "user"},
              {"name": "Cid", "age": 42, "role": "user"}]
    data = {"people": people, "text": "  Hello, World  ", "numbers": [3, 1, 2],
            "mapping": {"b": 2, "a": 1, "c": None}, "empty": [], "nothing": None,
            "nested": {"list": [{"x": [10, 20]}], "flag": True}, "unicode": "héllo wörld ß"}
    return [
        ("text_only", "plain text\nsecond line\n", {}),
        ("trim_blocks_removes_newline", "{% if true %}\nyes\n{% endif %}\nafter", {}),
        ("lstrip_blocks_removes_indent", "start\n    {% if true %}\n    inside\n    {% endif %}\nend", {}),
        ("plus_keeps_indent", "a\n    {%+ if true %}x{% endif %}\nb", {}),
        ("minus_strips_both_sides", "a   \n  {%- if true -%}  \n  b  \n  {%- endif -%}  \n  c", {}),
        ("variable_minus", "x  \n{{- 'y' -}}\n  z", {}),
        ("comment_is_dropped", "a {# comment #} b\n  {# own line #}\nc {#- strip -#} d", {}),
        ("raw_block", "{% raw %}{{ not evaluated }} {% if %}{% endraw %}!", {}),
        ("trailing_newline_dropped", "line\n", {}),
        ("crlf_newlines", "a\r\nb\rc\r\n", {}),
        ("arithmetic", "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ 10 / 4 * 2 }}", {}),
        ("float_printing", "{{ 1.0 }} {{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }} {{ 3.14159 }} {{ -0.0 }} {{ 2.5e-8 }} {{ 1 / 3 }}", {}),
        ("string_operations", "{{ 'ab' ~ 1 ~ none }} {{ 'ab' * 3 }} {{ 'x' + 'y' }} {{ 'abc'[1] }} {{ 'abcdef'[1:4] }} {{ 'abcdef'[::-1] }} {{ 'abcdef'[::2] }} {{ 'héllo'[1:3] }}", {}),
        ("comparisons", "{{ 1 < 2 < 3 }} {{ 1 < 2 > 3 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ true == 1 }} {{ none == none }} {{ 'a' != 'b' }} {{ 2 >= 2 }}", {}),
        ("membership", "{{ 'ell' in 'hello' }} {{ 2 in [1, 2] }} {{ 'a' in {'a': 1} }} {{ 3 not in [1, 2] }} {{ 'x' in missing }}", {}),
        ("logic_returns_operands", "{{ 0 or 'fallback' }} {{ 'first' or 'second' }} {{ '' and 'x' }} {{ 1 and 'y' }} {{ not none }} {{ not [1] }}", {}),
        ("conditional_expression", "{{ 'yes' if 1 else 'no' }} {{ 'yes' if 0 else 'no' }} [{{ 'only' if false }}]", {}),
        ("literals_print_like_python", "{{ [1, 'a', none, true, 1.5] }} {{ {'k': 'v', 1: [2]} }} {{ (1,) }} {{ (1, 'b') }} {{ () }} {{ 'it\\'s' }} {{ [\"it's\"] }} {{ ['a\\nb', 'tab\\t'] }}", {}),
        ("string_escapes", "{{ 'a\\tb\\\\c\\x41\\u00e9\\101' }}|{{ \"q\\\"uote\" }}|{{ 'line\\\nbreak' }}|{{ '\\d' }}", {}),
        ("undefined_behaviour", "[{{ missing }}] [{{ missing is defined }}] [{{ missing|default('d') }}] [{{ missing|length }}] [{% for x in missing %}x{% endfor %}] [{{ missing ~ 'c' }}] [{{ mapping.zzz }}] [{{ people[10] }}]", data),
        ("for_loop_variables", "{% for p in people %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }} {% endfor %}", data),
        ("for_loop_previtem_nextitem_cycle", "{% for n in numbers %}{{ loop.previtem }}<{{ n }}>{{ loop.nextitem }}:{{ loop.cycle('odd', 'even') }};{% endfor %}", data),
        ("for_loop_else_and_filter", "{% for n in empty %}x{% else %}none{% endfor %}|{% for n in numbers if n > 1 %}{{ n }}{{ loop.length }}{% endfor %}|{% for n in numbers if n > 5 %}x{% else %}filtered all{% endfor %}", data),
        ("for_loop_unpacking", "{% for k, v in mapping.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }}{% endfor %}{% for c in 'hé' %}[{{ c }}]{% endfor %}", data),
        ("for_loop_over_dict_keys", "{% for key in mapping %}{{ key }}{% endfor %}", data),
        ("break_and_continue", "{% for n in range(10) %}{% if n % 2 %}{% continue %}{% endif %}{% if n > 6 %}{% break %}{% endif %}{{ n }}{% endfor %}", {}),
        ("loop_scope_does_not_leak", "{% set x = 'outer' %}{% for n in [1, 2] %}{% set x = 'inner' ~ n %}{{ x }} {% endfor %}{{ x }}", {}),
        ("if_does_not_scope", "{% if true %}{% set y = 'set in if' %}{% endif %}{{ y }}", {}),
        ("namespace_escapes_loops", "{% set ns = namespace(count=0, names=[]) %}{% for p in people %}{% set ns.count = ns.count + p.age %}{% set ns.names = ns.names + [p.name] %}{% endfor %}{{ ns.count }} {{ ns.names }}", data),
        ("if_elif_else", "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}other{% endif %} {% endfor %}", {}),
        ("set_tuple_and_block", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set block %}  Captured {{ a }}  {% endset %}[{{ block }}]{% set trimmed | trim | upper %}  text  {% endset %}[{{ trimmed }}]", {}),
        ("macro_with_defaults_and_kwargs", "{% macro greet(name, greeting='Hello', punct='!') %}{{ greeting }}, {{ name }}{{ punct }}{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', punct='?') }} {{ greet(greeting='Hi', name='Cid') }}", {}),
        ("macro_recursion", "{% macro count(n) %}{{ n }}{% if n > 0 %},{{ count(n - 1) }}{% endif %}{% endmacro %}{{ count(5) }}", {}),
        ("macro_varargs_kwargs_caller", "{% macro m(a) %}{{ a }}|{{ varargs }}|{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }} {% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inside{% endcall %} {% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(item) each([1, 2]) %}[{{ item }}]{% endcall %}", {}),
        ("macro_sees_top_level_variables", "{% set greeting = 'hey' %}{% macro m() %}{{ greeting }} {{ people|length }}{% endmacro %}{{ m() }}", data),
        ("filter_block", "{% filter upper %}shout {{ 'this' }}{% endfilter %} {% filter trim|replace('a', 'o') %}  banana  {% endfilter %}", {}),
        ("with_block", "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]", {}),
        ("string_filters", "{{ text|trim }}|{{ text|upper }}|{{ text|lower }}|{{ 'hello world'|title }}|{{ 'hELLO wORLD'|capitalize }}|{{ text|replace('l', 'L') }}|{{ text|replace('l', 'L', 1) }}|{{ 'xxabcxx'|trim('x') }}|{{ 'a<b>&\"c\\''|e }}|{{ text|length }}|{{ 'one two  three'|wordcount }}|{{ 'foo-bar (baz) [qux]'|title }}", data),
        ("unicode_filters", "{{ unicode|upper }}|{{ unicode|title }}|{{ unicode|length }}|{{ unicode|reverse }}|{{ unicode|capitalize }}|{{ unicode[1] }}", data),
        ("number_filters", "{{ '42'|int }} {{ '4.7'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ 3.9|int }} {{ '2.5'|float }} {{ 'y'|float }} {{ -3|abs }} {{ 2.567|round(2) }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.1|round(0, 'ceil') }} {{ 2.9|round(0, 'floor') }} {{ 5|round }} {{ true|int }}", {}),
        ("list_filters", "{{ numbers|first }} {{ numbers|last }} {{ numbers|sort }} {{ numbers|sort(reverse=true) }} {{ numbers|reverse|list }} {{ numbers|sum }} {{ numbers|min }} {{ numbers|max }} {{ numbers|join(', ') }} {{ numbers|length }} {{ [1, 2, 1, 3]|unique|list }} {{ 'abc'|list }} {{ empty|first }}", data),
        ("attribute_filters", "{{ people|map(attribute='name')|join(',') }} {{ people|selectattr('role', 'equalto', 'user')|map(attribute='name')|list }} {{ people|rejectattr('role', 'eq', 'user')|list|length }} {{ people|sort(attribute='age')|map(attribute='name')|join }} {{ people|sort(attribute='name')|map(attribute='name')|join }} {{ people|sum(attribute='age') }} {{ people|max(attribute='age') }} {{ people|map(attribute='missing', default='?')|join }} {{ people|selectattr('age')|list|length }}", data),
        ("select_and_reject", "{{ [1, 2, 3, 4, 5]|select('odd')|list }} {{ [1, 2, 3, 4, 5]|reject('odd')|list }} {{ [0, 1, '', 'a', none]|select|list }} {{ [1, 2, 3]|select('divisibleby', 3)|list }} {{ ['a', 'B']|map('upper')|list }} {{ [1, 5, 9]|select('>', 4)|list }}", {}),
        ("dict_filters", "{{ mapping|dictsort }} {{ mapping|dictsort(by='key', reverse=true) }} {{ {'b': 2, 'a': 3}|dictsort(by='value') }} {{ mapping|items|list }} {{ mapping|length }} {{ mapping|list }} {{ {'B': 1, 'a': 2}|dictsort }}", data),
        ("default_filter", "{{ nothing|default('n') }} {{ nothing|default('n', true) }} {{ ''|default('e', true) }} {{ missing|d('m') }} {{ 0|default(5) }}", data),
        ("tojson_filter", "{{ mapping|tojson }}\n{{ people[0]|tojson(indent=2) }}\n{{ nested|tojson(indent=4) }}\n{{ 'quote \" backslash \\\\ tab \\t é 😊 </script>'|tojson }}\n{{ [1.5, 1e20, none, true]|tojson }}\n{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }}\n{{ empty|tojson(indent=2) }}\n{{ {'x': []}|tojson(indent=2) }}\n{{ 'é'|tojson(ensure_ascii=true) }}\n{{ [1, 2]|tojson(separators=(',', ':')) }}", data),
        ("indent_filter", "[{{ 'a\\nb\\n\\nc'|indent }}] [{{ 'a\\nb'|indent(2, true) }}] [{{ 'a\\n\\nb'|indent(2, blank=true) }}] [{{ 'x\\ny'|indent('--') }}]", {}),
        ("tests", "{{ 1 is odd }} {{ 2 is even }} {{ 9 is divisibleby 3 }} {{ 'a' is string }} {{ 1 is number }} {{ true is number }} {{ true is integer }} {{ 1 is integer }} {{ 1.0 is float }} {{ {} is mapping }} {{ [] is iterable }} {{ 'x' is iterable }} {{ 1 is iterable }} {{ missing is iterable }} {{ none is none }} {{ true is boolean }} {{ true is true }} {{ 1 is true }} {{ false is false }} {{ 'a' is in 'abc' }} {{ 2 is eq 2 }} {{ 3 is gt 2 }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ range is callable }} {{ 'x' is sequence }} {{ {} is sequence }} {{ 5 is sameas 5 }} {{ none is sameas none }} {{ 'x' is not defined }}", {}),
        ("string_methods", "{{ text.strip() }}|{{ text.lstrip() }}|{{ text.rstrip() }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a b c'.rsplit(' ', 1) }}|{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith(('x', 'c')) }}|{{ 'Hi'.upper() }}|{{ 'Hi'.lower() }}|{{ 'hello world'.title() }}|{{ 'hello'.capitalize() }}|{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'abcabc'.find('c') }}|{{ 'abcabc'.rfind('c') }}|{{ 'abcabc'.count('b') }}|{{ '-'.join(['x', 'y']) }}|{{ 'l1\\nl2\\r\\nl3'.splitlines() }}|{{ '12'.isdigit() }}|{{ 'ab'.isalpha() }}|{{ 'xyz'.removeprefix('x') }}|{{ 'a=b=c'.partition('=') }}|{{ '7'.zfill(3) }}|{{ 'ab'.center(6, '*') }}|{{ 'xx<think>a</think>answer'.split('</think>')[-1] }}", data),
        ("dict_and_list_methods", "{{ mapping.get('a') }} {{ mapping.get('zz') }} {{ mapping.get('zz', 'dflt') }} {{ mapping.keys()|list }} {{ mapping.values()|list }} {{ mapping.items()|list }} {{ numbers.index(2) }} {{ numbers.count(3) }} {{ nested.list[0].x[1] }} {{ nested['flag'] }} {{ people.0.name }}", data),
        ("range_and_dict_globals", "{{ range(3)|list }} {{ range(1, 10, 3)|list }} {{ range(5, 0, -2)|list }} {{ dict(a=1, b='x') }} {{ dict([('k', 'v')]) }} {{ strftime_now('%Y-%m-%d %H:%M:%S %A %B %d %b %j') }}", {}),
        ("list_concatenation_and_slicing", "{{ [1, 2] + [3] }} {{ numbers[1:] }} {{ numbers[:-1] }} {{ numbers[-1] }} {{ numbers[::-1] }} {{ numbers[5:] }} {{ (1, 2) + (3,) }} {{ [0] * 3 }}", data),
        ("string_concatenation_with_filters", "{{ 'User: ' + text|trim + '!' }} {{ ('a' ~ 'b')|upper }} {{ -2|abs }} {{ -numbers|length }}", data),
        ("adjacent_strings_and_nested_brackets", "{{ 'a' 'b' \"c\" }} {{ {'k': {'n': [1, {'d': 2}]}}['k']['n'][1]['d'] }}", {}),
        ("generation_tag", "before {% generation %}generated {{ 1 + 1 }}{% endgeneration %} after", {}),
        ("print_statement", "{% print 'printed', 2 %}", {}),
        ("whitespace_control_with_macros", "{%- macro item(x) -%}\n  <{{ x }}>\n{%- endmacro -%}\n{%- for i in [1, 2] %}\n  {{ item(i) }}\n{%- endfor %}\nend", {}),
        ("truthiness", "{% for v in [0, 1, '', 'a', [], [0], {}, {'a': 1}, none, 0.0, 0.5] %}{{ 'T' if v else 'F' }}{% endfor %}", {}),
        ("attribute_on_none_is_undefined", "[{{ nothing.x }}] [{{ nothing['y'] }}] [{{ 'str'.missing }}]", data),
        ("error_undefined_attribute", "{{ missing.attribute }}", {}),
        ("error_raise_exception", "line one\n{{ raise_exception('Custom failure: ' ~ 42) }}", {}),
        ("error_unknown_filter_in_branch", "{% if false %}{{ x|no_such_filter }}{% endif %}ok", {}),
        ("error_type_mismatch", "{{ 'a' + 1 }}", {}),
        ("error_list_append_blocked", "{% set l = [] %}{{ l.append(1) }}", {}),
        ("error_dunder_attribute", "{{ ''.__class__.__mro__ }}", {}),
        ("error_division_by_zero", "{{ 1 // 0 }}", {}),
        ("error_not_iterable", "{% for x in 5 %}{% endfor %}", {}),
        ("error_namespace_assignment", "{% set x = 1 %}{% set x.y = 2 %}", {}),
        ("error_macro_too_many_arguments", "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}", {}),
    ]


def features_fixture(env):
    cases = []
    for name, source, variables in feature_cases():
        case = {"name": name, "template": source, "variables": variables}
        try:
            template = env.from_string(source)
        except Exception as error:
            case.update({"error": str(error), "error_type": type(error).__name__})
        else:
            case.update(render_case(template, json.loads(json.dumps(variables))))
        cases.append(case)
    return {"cases": cases}


def write_json(path, content):
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main():
    if jinja2.__version__ != JINJA2_VERSION:
        sys.exit(f"expected jinja2 {JINJA2_VERSION}, found {jinja2.__version__}")
    env = make_environment()
    now = {"year": FIXED_NOW.year, "month": FIXED_NOW.month, "day": FIXED_NOW.day,
           "hour": FIXED_NOW.hour, "minute": FIXED_NOW.minute, "second": FIXED_NOW.second}
    for path in sorted(DATA_DIR.glob("*.jinja")):
        fixture = model_fixture(env, path)
        fixture["now"] = now
        write_json(path.with_suffix(".json"), fixture)
        n_errors = sum("error" in case for case in fixture["cases"])
        print(f"{path.with_suffix('.json').name}: {len(fixture['cases'])} cases, {n_errors} errors")
    features = features_fixture(env)
    features["now"] = now
    write_json(DATA_DIR / "features.json", features)
    print(f"features.json: {len(features['cases'])} cases")


if __name__ == "__main__":
    main()

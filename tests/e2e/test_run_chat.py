"""`inhouse run` and `inhouse chat` on the real models: text on stdout, timings on stderr."""
import os
import signal
import subprocess
import time

from conftest import run_inhouse


def test_run_greedy_continues_the_prompt(default_store):
    result = run_inhouse("run", "-m", "smollm2", "-p", "The capital of France is", "-n", "4", "--temp", "0")
    assert result.stdout.startswith(" Paris.")
    assert "prompt: 5 tokens" in result.stderr and "tok/s" in result.stderr


def test_run_is_reproducible_with_a_seed(default_store):
    args = ("run", "-m", "gemma3-270m", "-p", "Once upon a time", "-n", "12", "--temp", "0.9", "--seed", "42")
    assert run_inhouse(*args).stdout == run_inhouse(*args).stdout


def test_run_chat_uses_the_template_and_a_base_model_is_refused(default_store):
    result = run_inhouse("run", "-m", "smollm2", "--chat", "-p", "Say hi", "-n", "8", "--temp", "0")
    assert result.stdout.strip()
    base = run_inhouse("run", "-m", "gemma3-270m", "--chat", "-p", "Say hi", check=False)
    assert base.returncode == 1 and "no chat template" in base.stderr


def test_a_prompt_longer_than_the_context_is_an_error(default_store):
    result = run_inhouse("run", "-m", "smollm2", "-c", "256", "-p", "word " * 400, check=False)
    assert result.returncode == 1
    assert "does not fit the context of 256 tokens" in result.stderr


def test_bad_flags_are_refused_with_the_flag_named(default_store):
    result = run_inhouse("run", "-m", "smollm2", "-p", "x", "--top-p", "2", check=False)
    assert result.returncode != 0 and "top_p" in result.stderr
    result = run_inhouse("run", "-m", "smollm2", "-p", "x", "-n", "0", check=False)
    assert result.returncode != 0 and "n-predict" in result.stderr


def test_chat_answers_several_turns_and_leaves_on_eof(default_store):
    result = subprocess.run([os.environ["INHOUSE_BIN"], "chat", "-m", "smollm2", "-n", "16", "--temp", "0"],
                            input="Hi!\nWhat is 2+2?\n", capture_output=True, text=True, timeout=300)
    assert result.returncode == 0
    assert result.stdout.count("> ") >= 3  # two answers, then the prompt that met EOF
    assert "4" in result.stdout
    assert result.stderr.count("generation:") == 2
    assert "(0 cached)" in result.stderr and "cached)" in result.stderr.splitlines()[-1]


def test_ctrl_c_stops_the_answer_not_the_program(default_store):
    process = subprocess.Popen([os.environ["INHOUSE_BIN"], "chat", "-m", "smollm2", "-n", "-1", "--temp", "0"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdin.write("Write a very long story about a llama.\n")
    process.stdin.flush()
    time.sleep(8)  # the answer is being written
    process.send_signal(signal.SIGINT)
    time.sleep(1)
    assert process.poll() is None, "Ctrl-C must not end the program"
    out, err = process.communicate(input="", timeout=60)  # then Ctrl-D (end of input)
    assert process.returncode == 0
    assert "generation:" in err

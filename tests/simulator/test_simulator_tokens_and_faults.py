from simulator.faults import NO_FAULTS, Faults, directive_text, parse_faults
from simulator.tokens import answer_text, count_tokens, input_tokens


def test_count_tokens_is_a_quarter_of_the_characters_rounded_up_and_at_least_one():
    assert count_tokens("") == 1
    assert count_tokens("abcd") == 1
    assert count_tokens("abcde") == 2


def test_answer_of_n_tokens_counts_as_n_tokens():
    for token_count in (1, 2, 15, 16, 17, 100):
        assert count_tokens(answer_text(token_count)) == token_count
        assert len(answer_text(token_count).split()) == token_count


def test_input_tokens_count_strings_and_token_ids():
    assert input_tokens(["abcd", "abcdefgh"]) == 3
    assert input_tokens([7, 8, 9]) == 3
    assert input_tokens([[1, 2], [3]]) == 3


def test_text_without_directives_has_no_faults():
    assert parse_faults("an ordinary prompt [[not a directive]]") is NO_FAULTS


def test_several_directives_combine():
    faults = parse_faults("x [[sim:error=429]] [[sim:delay_ms=300]] [[sim:no_usage]] y")

    assert faults == Faults(error_status=429, delay_ms=300, no_usage=True)


def test_directives_are_looked_for_in_the_last_message_content_parts():
    messages = [
        {"role": "user", "content": "[[sim:hang]]"},
        {"role": "user", "content": [{"type": "text", "text": "[[sim:tokens=3]]"}]},
    ]

    assert parse_faults(directive_text(messages)) == Faults(tokens=3)

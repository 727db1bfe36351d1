"""Pure grading: a question scores only when the chosen set equals the correct set."""
import random


def grade(correct: dict[int, set[int]], answers: dict[int, set[int]]) -> tuple[int, int]:
    """Return (score 0–100, number of questions answered right)."""
    if not correct:
        return 0, 0
    right = sum(1 for question_id, expected in correct.items() if answers.get(question_id, set()) == expected)
    return round(100 * right / len(correct)), right


def shuffled(items: list, seed: int, salt: int) -> list:
    """The same order for the same attempt and question, on every reload."""
    order = list(items)
    random.Random(seed * 1_000_003 + salt).shuffle(order)
    return order

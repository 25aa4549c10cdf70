"""Unit: sentence encoders behind the TextEncoder interface."""

from __future__ import annotations

import socket
import threading

import numpy as np
import pytest

from helix.core.matching.embedding import (
    HashingEncoder,
    TextEncoder,
    UniversalSentenceEncoder,
    default_encoder,
)

pytestmark = pytest.mark.unit

NEED_NL = "Wij zoeken een partner voor collectieve renovatie van sociale woningen met warmtepompen"
OFFER_FR = "Nous proposons la rénovation énergétique groupée de logements sociaux avec pompes à chaleur"
OFFER_DE = "Wir bieten LED-Straßenbeleuchtung mit Fernsteuerung für Gemeinden"


@pytest.fixture(scope="module")
def network_attempts_during_load():
    """Load one USE model for the whole module, with every way out to the network blocked and recorded."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(what)
            raise OSError(f"network access during model load: {what}")

        return blocked

    encoder = UniversalSentenceEncoder()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse("connect"))
        mp.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
        mp.setattr(socket.socket, "sendto", refuse("sendto"))
        mp.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
        encoder.encode(["Laden zonder netwerk."])
    return encoder, attempts


@pytest.fixture(scope="module")
def use(network_attempts_during_load):
    encoder, _ = network_attempts_during_load
    return encoder


# --- UniversalSentenceEncoder --------------------------------------------------------------------


def test_use_model_loads_and_encodes_without_network(network_attempts_during_load):
    encoder, attempts = network_attempts_during_load
    assert (encoder.loaded, attempts) == (True, [])


def test_use_describes_itself_for_stored_vectors(use):
    assert (use.name, use.version, use.dim) == ("universal-sentence-encoder-multilingual-3", "0.2.1", 512)


def test_use_returns_one_normalised_float32_row_per_text(use):
    vectors = use.encode([NEED_NL, OFFER_FR, OFFER_DE], role="query")
    assert (vectors.shape, vectors.dtype) == ((3, 512), np.float32)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_use_empty_input_gives_zero_rows(use):
    vectors = use.encode([])
    assert (vectors.shape, vectors.dtype) == ((0, 512), np.float32)


def test_use_same_call_twice_gives_identical_vectors(use):
    texts = [NEED_NL, OFFER_DE, NEED_NL]
    np.testing.assert_array_equal(use.encode(texts), use.encode(texts))


def test_use_vector_depends_on_batch_position_only_at_float32_rounding(use):
    # A text's row sits elsewhere in the BLAS products when the batch differs (or when it occurs twice
    # in one batch), so the last bits may move; the vector does not.
    alone = use.encode([NEED_NL])[0]
    twice = use.encode([NEED_NL, OFFER_FR, NEED_NL, OFFER_DE])
    np.testing.assert_allclose(np.stack([twice[0], twice[2]]), np.stack([alone, alone]), atol=1e-6)


def test_use_role_does_not_change_the_vector(use):
    np.testing.assert_array_equal(use.encode([NEED_NL], role="query"), use.encode([NEED_NL], role="passage"))


def test_use_batches_give_the_same_vectors_as_one_call(use):
    texts = [NEED_NL, OFFER_FR, OFFER_DE, "Warmtenet", "Réseau de chaleur"]
    small_batches = UniversalSentenceEncoder(batch_size=2)
    small_batches._model = use._model  # share the loaded model: this test is about chunking only
    np.testing.assert_allclose(small_batches.encode(texts), use.encode(texts), atol=1e-6)


def test_use_dutch_renovation_need_is_closer_to_french_renovation_offer_than_to_german_lighting(use):
    need, renovation, lighting = use.encode([NEED_NL, OFFER_FR, OFFER_DE])
    assert float(need @ renovation) > float(need @ lighting)


def test_use_refuses_a_bare_string(use):
    with pytest.raises(TypeError, match="not a single str"):
        use.encode(NEED_NL)


def test_use_refuses_an_unknown_role(use):
    with pytest.raises(ValueError, match="role must be"):
        use.encode([NEED_NL], role="document")


# --- loading: lazy, once, thread-safe (with a fake model, no 32 MB read) -------------------------


class FakeModel:
    def encode(self, texts):
        return np.ones((len(texts), 512), dtype=np.float32)


def test_model_is_not_loaded_before_first_encode():
    loads = []
    encoder = UniversalSentenceEncoder(load_model=lambda: loads.append(1) or FakeModel())
    encoder.encode([])
    assert (encoder.loaded, loads) == (False, [])


def test_concurrent_first_encodes_load_the_model_once():
    loads = []
    barrier = threading.Barrier(8)

    def load():
        loads.append(threading.get_ident())
        return FakeModel()

    encoder = UniversalSentenceEncoder(load_model=load)
    results = []

    def work():
        barrier.wait()
        results.append(encoder.encode(["x", "y"]).shape)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(loads), results) == (1, [(2, 512)] * 8)


def test_rows_from_the_model_are_renormalised():
    vectors = UniversalSentenceEncoder(load_model=FakeModel).encode(["a", "b", "c"])
    np.testing.assert_allclose(vectors, np.full((3, 512), 1 / np.sqrt(512)), atol=1e-7)


def test_texts_are_sent_to_the_model_in_batches():
    seen = []

    class RecordingModel(FakeModel):
        def encode(self, texts):
            seen.append(len(texts))
            return super().encode(texts)

    UniversalSentenceEncoder(batch_size=256, load_model=RecordingModel).encode(["t"] * 600)
    assert seen == [256, 256, 88]


def test_default_encoder_is_one_shared_lazy_use_encoder():
    encoder = default_encoder()
    assert (type(encoder), encoder is default_encoder()) == (UniversalSentenceEncoder, True)


# --- HashingEncoder ------------------------------------------------------------------------------


def test_encoders_satisfy_the_text_encoder_interface():
    encoders: list[TextEncoder] = [HashingEncoder(), UniversalSentenceEncoder(load_model=FakeModel)]
    assert [(e.name, e.dim) for e in encoders] == [
        ("hashing-char3", 256),
        ("universal-sentence-encoder-multilingual-3", 512),
    ]


def test_hashing_returns_normalised_float32_rows_of_its_dim():
    vectors = HashingEncoder(dim=64).encode([NEED_NL, OFFER_FR, "", "a"])
    assert (vectors.shape, vectors.dtype) == ((4, 64), np.float32)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_hashing_empty_input_gives_zero_rows():
    assert HashingEncoder(dim=32).encode([]).shape == (0, 32)


def test_hashing_is_deterministic_across_instances():
    first = HashingEncoder().encode([NEED_NL, OFFER_DE])
    again = HashingEncoder().encode([OFFER_DE, NEED_NL])
    np.testing.assert_array_equal(first, again[::-1])


def test_hashing_ignores_case_and_extra_spaces():
    a, b = HashingEncoder().encode(["Sociale  Woningen", "sociale woningen "])
    np.testing.assert_array_equal(a, b)


def test_hashing_shared_spelling_scores_higher_than_unrelated_text():
    need, near, far = HashingEncoder().encode(
        ["renovatie van sociale woningen", "renovatie sociale huurwoningen", "LED-Straßenbeleuchtung"]
    )
    assert float(need @ near) > float(need @ far)


def test_hashing_known_vector_is_stable():
    # Pins the scheme: " ab" and "bc " fall in bucket 0, "abc" in bucket 2 (CRC-32 mod 8). Stored
    # vectors stay comparable only while this holds; change the scheme, bump HashingEncoder.version.
    (vector,) = HashingEncoder(dim=8).encode(["abc"])
    np.testing.assert_allclose(vector, np.array([2, 0, 1, 0, 0, 0, 0, 0]) / np.sqrt(5), atol=1e-7)


def test_hashing_refuses_a_nonpositive_dim():
    with pytest.raises(ValueError, match="dim must be at least 1"):
        HashingEncoder(dim=0)

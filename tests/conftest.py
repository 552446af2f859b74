"""Shared fixtures: tiny models and articles built in code, so tests need no corpus and no download."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ARTICLE_A = """id: fix-a
title: Clashes on the border
published: 2022-09-14
source_style: wire
countries: Armenia; Azerbaijan
conflict: Armenia-Azerbaijan
split: train
annotator: test
=== text
[Azerbaijan's Defence Ministry]{ORG s1} said on [Wednesday]{DATE s2} that [50]{NUM s3} [soldiers]{ARMED s4} were [killed]{DEATH s5} in [clashes]{BATTLE s6} with [Armenian forces]{ARMED s7} near [Goris]{GPE s8} on [Tuesday]{DATE s9}.
[Armenia]{GPE s10} said [49]{NUM s11} of its [troops]{ARMED s12} [died]{DEATH s13} in the [fighting]{BATTLE s14}.
[Russia]{GPE s15} [brokered]{DIPLOMACY s16} a [ceasefire]{AGREEMENT s17}. The two countries fought a [war]{BATTLE s18} in [2020]{DATE s19} that [killed]{DEATH s20} [more than 6,500]{NUM s21} [people]{CIV s22}.
The [European Union]{ORG s23} [called for]{DIPLOMACY s24} restraint.
=== relations
s5 SOURCE s1
s5 TIME s2
s5 COUNT s3
s5 VICTIM s4
s5 CAUSE s6
s6 ACTOR s7
s6 TARGET s4
s6 PLACE s8
s6 TIME s9
s6 SOURCE s1
s13 SOURCE s10
s13 COUNT s11
s13 VICTIM s12
s13 CAUSE s14
s14 COREF s6
s16 ACTOR s15
s17 PARTICIPANT s15
s17 SOURCE s15
s18 TIME s19
s20 COUNT s21
s20 VICTIM s22
s20 CAUSE s18
s24 ACTOR s23
"""

ARTICLE_B = """id: fix-b
title: Protest in the capital
published: 2021-03-01
source_style: local_press
countries: Myanmar
conflict: Myanmar post-coup conflict
split: dev
annotator: test
=== text
[Thousands]{NUM s1} of [protesters]{CIV s2} [marched]{PROTEST s3} in [Yangon]{GPE s4} on [Sunday]{DATE s5}. [Police]{ARMED s6} [fired]{VIOLENCE_AGAINST_CIVILIANS s7} [tear gas]{WEAPON s8} and [arrested]{ARREST s9} [dozens]{NUM s10} of [students]{CIV s11}, [witnesses]{CIV s12} said.
=== relations
s3 COUNT s1
s3 PARTICIPANT s2
s3 PLACE s4
s3 TIME s5
s7 ACTOR s6
s7 TARGET s2
s7 INSTRUMENT s8
s9 ACTOR s6
s9 TARGET s11
s9 COUNT s10
s9 SOURCE s12
"""


def article_from_cie(source: str):
    from conflict_ie.annotations import cie_format
    from conflict_ie.annotations.checks import check_article

    parsed = cie_format.parse(source)
    assert not parsed.diagnostics, parsed.diagnostics
    assert not check_article(parsed.article, parsed.source_map)
    return parsed.article


@pytest.fixture(scope="session")
def fixture_articles():
    return [article_from_cie(ARTICLE_A), article_from_cie(ARTICLE_B)]


@pytest.fixture(scope="session")
def tokenizer():
    from conflict_ie.model.encoder import load_tokenizer, packaged_minilm_path

    return load_tokenizer(str(packaged_minilm_path()))


TINY_ENCODER = {"hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 37}


def make_tiny_model(tokenizer, **overrides):
    import torch
    from transformers import BertConfig

    from conflict_ie.model.config import ModelConfig
    from conflict_ie.model.encoder import encoder_from_config
    from conflict_ie.model.joint import ConflictJointModel

    torch.manual_seed(0)
    enc_cfg = BertConfig(vocab_size=tokenizer.vocab_size, **TINY_ENCODER).to_dict()
    params = dict(max_length=32, stride=8, relation_hidden=16, span_label_dim=4, distance_dim=4)
    params.update(overrides)
    model = ConflictJointModel(ModelConfig(encoder_name="packaged:all-MiniLM-L6-v2", encoder_config=enc_cfg, **params),
                               encoder_from_config(enc_cfg))
    model.tokenizer = tokenizer
    return model


@pytest.fixture
def tiny_model(tokenizer):
    # Surface features on, as training configs build models: every model test exercises them.
    return make_tiny_model(tokenizer, casing_features=True, sentence_dim=4, pair_product=True)


@pytest.fixture
def tiny_corpus(tmp_path, fixture_articles):
    """A corpus folder with train and dev articles (the two fixtures, copied under new ids)."""
    from conflict_ie.annotations import cie_format

    folder = tmp_path / "corpus"
    folder.mkdir()
    for k in range(3):
        for art in fixture_articles:
            d = art.to_dict()
            d["id"] = f"{art.id}-{k}"
            d["split"] = "dev" if k == 2 else "train"
            d["text"] = art.text + f"\nCopy number {k}."  # distinct texts: the validator refuses duplicates
            from conflict_ie.annotations.document import Article

            (folder / f"{d['id']}.cie").write_text(cie_format.render(Article.from_dict(d)), encoding="utf-8")
    return folder

from __future__ import annotations

import numpy as np
import pytest

from features.titles import (
    TitleModel,
    TitleRow,
    _definition_index,
    _gram_key,
    _gram_keys,
    _gram_lengths,
    _gram_text,
    _group,
    _ngrams,
    _reference,
    _shares,
    agrees_at,
    clean_title,
    load_title_rows,
    normalize_title,
    normalize_titles,
    title_accuracy,
)

# Real titles of the file with their expected codes.
_KNOWN = {
    "物业保洁员": "4-09-08-01",
    "超市收银员（正东上街店）": "4-01-02-04",
    "百年龙袍招聘面点师": "4-03-02-02",
    "月嫂": "4-10-01-06",
    "淘宝客服": "4-01-06-02",
}

# Noisy titles (pay, perks, hiring words, brackets) and the 小类 they belong to.
_NOISY = {
    "普工坐班包吃住300预支": "6-00-00-00",  # the file's own label: any production job
    "物业保洁员包吃住": "4-09-08-00",  # 环境卫生服务人员 (保洁员)
    "电焊工 月薪8000": "6-18-02-00",  # 机械热加工人员 (焊工)
    "急招保安 日结 五险一金": "4-07-05-00",  # 安全保护服务人员 (保安员)
    "【包吃住】叉车司机 月薪6000": "6-30-05-00",  # 起重装卸机械操作工
    "饭店招聘厨师 包吃住": "4-03-02-00",  # 餐饮服务人员 (中式烹调师)
    "超市收银员（双休）": "4-01-02-00",  # 销售人员 (收银员)
    "货车司机 B2 急招": "4-02-02-00",  # 道路运输服务人员 (道路货运汽车驾驶员)
    "养老护理员（包吃住）": "4-10-01-00",  # 生活照料服务人员
    "快递分拣员 日结200": "4-02-07-00",  # 邮政和快递服务人员 (快件处理员)
}


def test_pay_perks_and_hiring_words_are_cleaned_from_titles() -> None:
    assert clean_title("普工坐班包吃住300预支") == "普工坐班"
    assert clean_title("电焊工 月薪8000") == "电焊工"
    assert clean_title("物业保洁员包吃住") == "物业保洁员"
    assert clean_title("急招保安 日结 五险一金") == "保安"
    assert clean_title("江苏李家秀餐饮管理招聘厨师") == "厨师"  # the employer before 招聘 goes
    assert clean_title("电梯销售经理（天津）") == "电梯销售经理"  # bracketed asides go
    assert clean_title("美容店长（保底1.2W-2W高提成包食宿）") == "美容店长"
    assert clean_title("置业顾问(10名)") == "置业顾问"
    assert clean_title("金融客服 双休 不加班") == "金融客服"
    assert clean_title("销售 6-8K/月") == "销售"  # the units of pay go with its numbers
    assert clean_title("月嫂") == "月嫂"  # but not inside a word
    assert clean_title("招标专员") == "招标专员"  # 招 of 招标 is not a hiring word
    assert clean_title("资深招聘专员") == "资深招聘专员"  # hiring is the job here
    assert clean_title("门店助理招聘专员") == "门店助理招聘专员"
    assert clean_title("人力资源公司招聘招聘主管") == "招聘主管"
    assert clean_title("【急招】") == ""
    assert clean_title("（保洁员）") == "保洁员"  # nothing outside the brackets: keep inside


def test_more_perks_and_invisible_characters_are_cleaned_from_titles() -> None:
    assert clean_title("淘宝客服/月休8天/不加班") == "淘宝客服"
    assert clean_title("金融顾问（无责5000）+精准客户资源+五险") == "金融顾问"
    assert clean_title("电话招聘顾问+五险二金+工作轻松+氛围好") == "电话招聘顾问"
    assert clean_title("物业诚招采购员") == "物业 采购员"
    assert clean_title("电话客服/周末双休不加班/不销售不外出") == "电话客服"
    assert clean_title("葛店\u202c保洁员\u200b") == "葛店保洁员"  # direction marks, zero widths
    assert clean_title("物业学生公寓管理员") == "物业学生公寓管理员"  # a place of work stays


def test_real_titles_are_mapped_right() -> None:
    for title, code in _KNOWN.items():
        match = normalize_title(title)
        assert match.code == code, title
        assert match.level == 4
        assert 0 < match.score <= 1
    assert normalize_title("物业保洁员").name == "保洁员"


def test_noisy_titles_are_mapped_to_the_right_small_class() -> None:
    for title, expected in _NOISY.items():
        match = normalize_title(title)
        assert agrees_at(match.code, expected, 3), (title, match)
        assert match.level >= 3
    assert normalize_title("电焊工 月薪8000").code == "6-18-02-04"  # 焊工
    assert normalize_title("物业保洁员包吃住").code == "4-09-08-01"  # 保洁员


def test_a_batch_gives_what_single_calls_give() -> None:
    titles = [*_NOISY, "物业保洁员", "物业保洁员", "☆☆☆"]
    assert normalize_titles(titles) == [normalize_title(t) for t in titles]
    assert normalize_titles([]) == []


def test_titles_the_model_never_saw_are_mapped_to_the_right_small_class() -> None:
    # Trained without any title naming these jobs: only the classification's own names and
    # aliases (and other titles) can place them.
    words = ("保洁", "焊", "保安", "厨师", "收银", "叉车", "司机", "护理", "快递", "分拣")
    rows = [r for r in load_title_rows() if r.code and not any(w in r.title for w in words)]
    model = TitleModel().fit([r.title for r in rows], [r.code for r in rows])
    unseen = {t: c for t, c in _NOISY.items() if "保洁" not in t and "普工" not in t}
    for (title, expected), match in zip(unseen.items(), model.predict(list(unseen)), strict=True):
        assert agrees_at(match.code, expected, 3), (title, match)


def test_a_title_with_nothing_known_gets_no_code() -> None:
    model = TitleModel().fit(["保洁员"], ["4-09-08-01"])
    assert model.predict(["☆☆☆", ""])[0].code == ""
    assert model.predict(["保洁"])[0].code == "4-09-08-01"
    assert normalize_title("☆☆☆").code == ""


def test_two_training_classes_are_enough_for_the_linear_model() -> None:
    model = TitleModel().fit(["保洁员", "保安"], ["4-09-08-01", "4-07-05-01"])
    assert [m.code for m in model.predict(["保洁阿姨", "小区保安员"])] == [
        "4-09-08-01",
        "4-07-05-01",
    ]


def test_the_fast_transform_equals_scikit_learns() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [clean_title(t) for t in ("物业保洁员", "电焊工 月薪8000", "保洁 保洁 A", "厨师长")]
    model = TitleModel().fit(docs, ["4-09-08-01", "6-18-02-04", "4-09-08-01", "4-03-02-01"])
    reference = TfidfVectorizer(analyzer=_ngrams, sublinear_tf=True, dtype=np.float32)
    reference.vocabulary_ = model.vocabulary_
    reference.idf_ = model.idf_
    queries = ["物业保洁 保洁员", "焊工A", "☆", "厨师 厨"]
    ours = model._transform(queries).toarray()
    theirs = reference.transform(queries).toarray()
    assert np.allclose(ours, theirs, atol=1e-6)


def test_the_fitted_vocabulary_and_weights_equal_scikit_learns() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    titles = ["物业保洁员", "电焊工 月薪8000", "保洁 保洁 A", "厨师长", "厨师长"]
    codes = ["4-09-08-01", "6-18-02-04", "4-09-08-01", "4-03-02-01", "4-03-02-01"]
    model = TitleModel().fit(titles, codes)
    docs = [clean_title(t) for t in titles] + [clean_title(d) for d in _reference()[0]]
    reference = TfidfVectorizer(analyzer=_ngrams, sublinear_tf=True).fit(docs)
    assert model.vocabulary_.keys() == reference.vocabulary_.keys()
    ours = {g: model.idf_[c] for g, c in model.vocabulary_.items()}
    theirs = {g: reference.idf_[c] for g, c in reference.vocabulary_.items()}
    assert all(abs(ours[g] - theirs[g]) < 1e-5 for g in theirs)


def test_an_ngram_key_gives_back_its_ngram() -> None:
    for gram in ("保", "保洁", " 保洁", "员 ", "A4", "𠀀字"):
        assert _gram_text(_gram_key(gram)) == gram


def test_the_middle_class_of_a_code() -> None:
    assert _group("4-09-08-01") == "4-09-00-00"
    assert _group("4-09-00-00") == "4-09-00-00"
    assert _group("6-00-00-00") == "6-00-00-00"


def test_the_middle_class_svm_learns_the_middle_classes_of_the_training_titles() -> None:
    titles = ["保洁员", "保洁阿姨", "保安", "保安员", "厨师", "面点师"]
    codes = ["4-09-08-01", "4-09-08-01", "4-07-05-01", "4-07-05-01", "4-03-02-01", "4-03-02-02"]
    model = TitleModel().fit(titles, codes)
    assert model.group_svm_ is not None
    groups = sorted({_group(c) for c in model.classes_})
    assert [groups[i] for i in model.group_svm_[0]] == ["4-03-00-00", "4-07-00-00", "4-09-00-00"]
    assert TitleModel(group_weight=0).fit(titles, codes).group_svm_ is None


def test_training_titles_that_read_the_same_share_their_classes() -> None:
    titles = ["物业 保洁", "物业保洁（包吃住）", "物业保洁", "保安"]
    codes = ["4-09-08-01", "4-09-08-01", "4-07-05-01", "4-07-05-01"]
    model = TitleModel().fit(titles, codes)
    found, shares = model.exact_["物业保洁"]
    by_class = {
        str(model.classes_[i]): round(float(s), 3) for i, s in zip(found, shares, strict=True)
    }
    assert by_class == {"4-09-08-00": 0.667, "4-07-05-00": 0.333}


def test_the_class_vote_leaves_the_training_titles_out_but_the_fine_choice_keeps_them() -> None:
    titles = ["物业保洁员", "保安员", "厨师"]
    model = TitleModel().fit(titles, ["4-09-08-01", "4-07-05-01", "4-03-02-01"])
    assert model.doc_class_[: len(titles)].nnz == 0
    assert model.doc_fine_[: len(titles)].nnz == len(titles)
    assert TitleModel(title_vote=1.0).fit(titles, ["4-09-08-01"] * 3).doc_class_[:3].nnz == 3


def test_the_definitions_are_indexed_per_small_class_without_their_commonest_ngrams() -> None:
    keys, idf, present, codes = _definition_index()
    assert len(codes) == present.shape[1] > 300
    assert "4-12-05-00" in codes  # 乐器维修 … 钢琴调律师: "调整钢琴音律 …"
    assert set(present.data.tolist()) == {1.0}
    column = {_gram_text(int(k)): i for i, k in enumerate(keys)}
    assert present[column["音律"]].nnz >= 1
    assert present[column["人员"]].nnz == 0  # in the definitions of most 小类: left out
    assert idf[column["音律"]] > idf[column["人员"]]


def test_a_title_in_the_words_of_a_definition_leans_to_its_small_class() -> None:
    # No training title reads like "调整钢琴音律", and the name 钢琴调律师 alone loses to 调饮师
    # (调); the tasks of 钢琴调律师 ("调整钢琴音律、机械与音质 …") speak for it.
    titles = ["保洁员", "保安员", "厨师", "面点师"]
    codes = ["4-09-08-01", "4-07-05-01", "4-03-02-01", "4-03-02-02"]
    without = TitleModel(definition_weight=0).fit(titles, codes).predict(["调整钢琴音律"])[0]
    found = TitleModel(definition_weight=1).fit(titles, codes).predict(["调整钢琴音律"])[0]
    assert not without.code.startswith("4-12-05")
    assert found.code.startswith("4-12-05")
    # Titles that match no definition better than the training titles keep their class.
    assert TitleModel(definition_weight=1).fit(titles, codes).predict(["保洁员"])[0].code == (
        "4-09-08-01"
    )


def test_an_ngram_key_tells_its_length() -> None:
    keys = np.array(
        [_gram_key(g) for g in ("保", " 保", "保洁", " 保洁", "𠀀字 ")], dtype=np.uint64
    )
    assert _gram_lengths(keys).tolist() == [1, 2, 2, 3, 3]


def test_the_svms_see_ngrams_scaled_by_length_and_the_strongest_signals() -> None:
    titles = ["物业保洁员", "保洁阿姨", "保安", "保安员", "厨师", "面点师"]
    codes = ["4-09-08-01", "4-09-08-01", "4-07-05-01", "4-07-05-01", "4-03-02-01", "4-03-02-02"]
    model = TitleModel(gram_weights=(2.0, 1.0, 0.5)).fit(titles, codes)
    lengths = _gram_lengths(model.vocabulary_keys_)
    assert set(zip(lengths.tolist(), model.gram_scale_.tolist(), strict=True)) == {
        (1, 2.0),
        (2, 1.0),
        (3, 0.5),
    }
    assert model.linear_ is not None
    assert [w.shape for w in model.linear_[1]] == [(len(model.classes_), 6)] * 3  # 3 + 3 classes
    signal = np.array([[0.5, 0.05, 0.2, 0.0], [0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    (block,) = model._signal_features(signal)
    # Only the values of at least 0.2 of the title's largest, times 0.4; nothing for a blank.
    assert np.allclose(block.toarray(), [[0.2, 0.0, 0.08, 0.0], [0.0, 0.0, 0.0, 0.0]])


def test_the_signals_the_svms_learn_from_hold_no_training_label() -> None:
    # Even when the training titles vote for the 小类 in the score, the vote the SVMs see is
    # the reference documents' alone: a training title's features do not know its label.
    titles = ["物业保洁员", "保安员", "厨师", "面点师"]
    texts = [clean_title(t) for t in titles]
    found = []
    for codes in (
        ["4-09-08-01", "4-07-05-01", "4-03-02-01", "4-03-02-02"],
        ["4-07-05-01", "4-09-08-01", "4-03-02-02", "4-03-02-01"],
    ):
        model = TitleModel(title_vote=1.0).fit(titles, codes)
        queries = model._transform(texts)
        _, *signals = model._signals(queries, _shares(_gram_keys(texts), len(texts)))
        found.append(np.hstack(signals))
        assert model.doc_class_[: len(titles)].nnz == len(titles)  # they vote in the score
    assert np.array_equal(found[0], found[1])


def test_a_broad_expected_code_counts_at_the_levels_it_specifies() -> None:
    assert agrees_at("6-18-02-04", "6-00-00-00", 4)  # 普工 expected: any production job
    assert agrees_at("6-18-02-04", "6-18-02-04", 3)
    assert not agrees_at("6-18-02-05", "6-18-02-04", 4)
    assert agrees_at("6-18-02-05", "6-18-02-04", 3)
    assert not agrees_at("4-09-08-01", "6-00-00-00", 1)
    assert not agrees_at("6-00-00-00", "6-18-02-04", 3)  # a broad guess is not a 小类
    assert not agrees_at("", "6-18-02-04", 1)


def test_accuracy_is_measured_on_held_out_folds_only() -> None:
    # Each nonsense title is its own code: a model that saw it would get it right every time.
    codes = ["4-09-08-01", "4-07-05-01", "6-18-02-04", "4-03-02-01", "4-10-01-06", "5-01-02-01"]
    titles = ["甲乙丙", "丁戊己", "庚辛壬", "癸子丑", "寅卯辰", "巳午未"]
    rows = [TitleRow(title, code) for title, code in zip(titles, codes, strict=True)]
    rows.append(TitleRow("无代码的标题", ""))
    seen = TitleModel().fit([r.title for r in rows[:-1]], codes).predict([r.title for r in rows])
    assert [m.code for m in seen[:-1]] == codes
    report = title_accuracy(rows, folds=3)
    assert report["scored"] == 6
    assert report["skipped"] == 1
    assert report["fine"]["correct"] == 0


def test_a_title_only_in_the_held_out_fold_leaves_no_trace_in_the_model() -> None:
    # Characters found nowhere else: a model (or a vocabulary) fitted with the title would
    # place it; fitted without it, the title has no known n-gram and gets no code at all.
    rows = [r for r in load_title_rows() if r.code][:120]
    rows.append(TitleRow("龘靐齉", "8-00-00-00"))
    seen = TitleModel().fit([r.title for r in rows], [r.code for r in rows])
    assert seen.predict(["龘靐齉"])[0].code == "8-00-00-00"
    report = title_accuracy(rows, folds=3, seed=1)
    assert report["levels"].get("0") == 1  # the held-out nonsense title, and only it
    assert report["scored"] == 121


def test_too_few_folds_are_refused() -> None:
    with pytest.raises(ValueError, match="folds"):
        title_accuracy([("保洁员", "4-09-08-01")] * 5, folds=1)


@pytest.mark.slow
def test_cross_validated_accuracy_on_the_titles_file() -> None:
    rows = load_title_rows()
    report = title_accuracy(rows, folds=5)
    assert report["scored"] + report["skipped"] == len(rows)
    assert report["skipped"] == sum(1 for r in rows if not r.code)
    # Measured: see docs/words.md (70.1% at 小类, 66.5% at 细类; the aim is 0.70 at 小类).
    # This floor guards against regressions.
    assert report["small"]["accuracy"] >= 0.695
    assert report["fine"]["accuracy"] >= 0.66
    assert report["major"]["accuracy"] >= report["small"]["accuracy"] >= report["fine"]["accuracy"]


def test_the_fit_does_not_depend_on_the_global_random_state() -> None:
    rows = [r for r in load_title_rows() if r.code][:800]
    titles, codes = [r.title for r in rows], [r.code for r in rows]
    fitted = []
    for seed in (1, 2):
        np.random.seed(seed)  # noqa: NPY002 - the global state liblinear draws its order from
        model = TitleModel().fit(titles, codes)
        assert model.svm_ is not None
        fitted.append(model.svm_[1])
    assert np.array_equal(fitted[0], fitted[1])

"""sagebench training entry point for the Hugging Face PyTorch training DLC (transformers 4.36, PyTorch 2.1).

SageMaker runs it as `sagemaker_program` with each hyperparameter as `--name value` (the DLC's toolkit decodes the
JSON-encoded values the launcher sends). It fine-tunes a sequence-classification model on a seeded subset of a Hub
dataset, for exactly `max_steps` steps, evaluates on the validation split and the dataset's test split, and prints the
metrics as Python dict lines, the form the launcher's MetricDefinitions scrape from the logs:

    {'eval_loss': 0.2311, 'eval_f1_score': 0.9312, 'eval_accuracy': 0.9301, ...}

Keep `format_metrics` and the metric names in step with TrainingJobRequestFactory.METRIC_NAMES.
"""
import argparse
import json
import logging
import os
import sys

LOG = logging.getLogger("sagebench.train")


def parse_args(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--model_name_or_path", default="distilbert-base-uncased")
    p.add_argument("--dataset_name", default="amazon_polarity")
    p.add_argument("--dataset_size", type=int, default=100000)
    p.add_argument("--train_fraction", type=float, default=0.9)
    p.add_argument("--split_seed", type=int, default=42)
    p.add_argument("--max_steps", type=int, default=-1)
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--per_device_train_batch_size", type=int, default=32)
    p.add_argument("--per_device_eval_batch_size", type=int, default=64)
    p.add_argument("--learning_rate", type=float, default=5e-5)
    p.add_argument("--max_seq_length", type=int, default=512)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--warmup_steps", type=int, default=0)
    p.add_argument("--max_test_samples", type=int, default=10000)
    p.add_argument("--fp16", type=lambda s: str(s).lower() == "true", default=False)
    p.add_argument("--print-sample-metrics", action="store_true",
                   help="print sample metric lines through the real formatter and exit (used by the launcher's tests)")
    p.add_argument("--model_dir", default=os.environ.get("SM_MODEL_DIR", "/tmp/model"))
    p.add_argument("--train_dir", default=os.environ.get("SM_CHANNEL_TRAIN"))
    p.add_argument("--checkpoint_dir", default="/opt/ml/checkpoints")
    # Unknown hyperparameters from a design are accepted and ignored rather than crashing a paid job.
    args, unknown = p.parse_known_args(argv)
    if unknown:
        LOG.warning("ignoring unknown arguments: %s", unknown)
    return args


def format_metrics(metrics):
    """One log line in the Trainer's dict style. Floats >= 0.001 are rounded to 4 places; smaller ones (learning rates)
    are kept, since rounding would turn 5e-05 into 0.0001."""
    return str({k: (round(v, 4) if isinstance(v, float) and abs(v) >= 1e-3 else v) for k, v in metrics.items()})


def sample_metric_lines():
    return [
        format_metrics({"loss": 0.6931, "learning_rate": 5e-05, "epoch": 0.01}),
        format_metrics({"eval_loss": 0.2311, "eval_f1_score": 0.9312, "eval_accuracy": 0.9301,
                        "eval_runtime": 12.3456, "eval_samples_per_second": 810.12, "epoch": 3.0}),
        format_metrics({"train_runtime": 3301.2518, "train_samples_per_second": 817.8671,
                        "train_steps_per_second": 0.639, "train_loss": 0.2113, "epoch": 3.0}),
        format_metrics({"test_loss": 0.2401, "test_f1_score": 0.9288, "test_accuracy": 0.9276}),
    ]


def f1_and_accuracy(predictions, labels):
    """Binary F1 of class 1 and accuracy, without sklearn (not guaranteed in every DLC)."""
    tp = sum(1 for p, l in zip(predictions, labels) if p == 1 and l == 1)
    fp = sum(1 for p, l in zip(predictions, labels) if p == 1 and l != 1)
    fn = sum(1 for p, l in zip(predictions, labels) if p != 1 and l == 1)
    correct = sum(1 for p, l in zip(predictions, labels) if p == l)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1_score": f1, "accuracy": correct / len(labels) if len(labels) else 0.0}


def text_columns(features):
    for pair in (("title", "content"), ("sentence1", "sentence2")):
        if all(c in features for c in pair):
            return list(pair)
    for single in ("text", "content", "sentence", "review"):
        if single in features:
            return [single]
    raise ValueError("no text column among %s" % list(features))


def load_splits(args):
    from datasets import DatasetDict, load_dataset, load_from_disk

    if args.train_dir and os.path.isdir(args.train_dir) and os.listdir(args.train_dir):
        LOG.info("loading dataset from the train channel %s", args.train_dir)
        data = load_from_disk(args.train_dir)
    else:
        LOG.info("loading dataset %s from the Hub", args.dataset_name)
        data = load_dataset(args.dataset_name)
    if not isinstance(data, DatasetDict):
        data = DatasetDict({"train": data})
    # The same seeded subset and split for every run of a design, so runs differ only in what the design varies.
    subset = data["train"].shuffle(seed=args.split_seed).select(range(min(args.dataset_size, len(data["train"]))))
    split = subset.train_test_split(train_size=args.train_fraction, seed=args.split_seed)
    test = None
    if "test" in data:
        test = data["test"].shuffle(seed=args.split_seed)
        test = test.select(range(min(args.max_test_samples, len(test))))
    return split["train"], split["test"], test


def main(argv=None):
    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    if args.print_sample_metrics:
        for line in sample_metric_lines():
            print(line, flush=True)
        return 0

    import numpy as np
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments,
                              set_seed)

    set_seed(args.seed)
    train, validation, test = load_splits(args)
    columns = text_columns(train.features)
    tokenizer = AutoTokenizer.from_pretrained(args.model_name_or_path)

    def tokenize(batch):
        texts = [batch[c] for c in columns]
        return tokenizer(*texts, truncation=True, padding="max_length", max_length=args.max_seq_length)

    train = train.map(tokenize, batched=True)
    validation = validation.map(tokenize, batched=True)
    if test is not None:
        test = test.map(tokenize, batched=True)
    num_labels = len(set(train["label"]))
    model = AutoModelForSequenceClassification.from_pretrained(args.model_name_or_path, num_labels=num_labels)

    def compute_metrics(eval_pred):
        logits, labels = eval_pred
        return f1_and_accuracy(np.argmax(logits, axis=-1).tolist(), list(labels))

    output_dir = args.checkpoint_dir if os.path.isdir(args.checkpoint_dir) else "/tmp/checkpoints"
    training_args = TrainingArguments(
        output_dir=output_dir,
        max_steps=args.max_steps,
        num_train_epochs=args.epochs,
        per_device_train_batch_size=args.per_device_train_batch_size,
        per_device_eval_batch_size=args.per_device_eval_batch_size,
        learning_rate=args.learning_rate,
        warmup_steps=args.warmup_steps,
        seed=args.seed,
        fp16=args.fp16,
        evaluation_strategy="no",
        save_strategy="no",
        logging_steps=max(1, args.max_steps // 50) if args.max_steps > 0 else 500,
        disable_tqdm=True,
        report_to=[],
    )
    trainer = Trainer(model=model, args=training_args, train_dataset=train, eval_dataset=validation,
                      tokenizer=tokenizer, compute_metrics=compute_metrics)
    result = trainer.train()
    print(format_metrics(result.metrics), flush=True)
    print(format_metrics(trainer.evaluate()), flush=True)
    if test is not None:
        print(format_metrics(trainer.evaluate(test, metric_key_prefix="test")), flush=True)
    if trainer.is_world_process_zero():
        trainer.save_model(args.model_dir)
        with open(os.path.join(args.model_dir, "sagebench-args.json"), "w") as f:
            json.dump(vars(args), f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

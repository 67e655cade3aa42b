"""Print the open tasks so whoever runs the scripts sees them."""
from pathlib import Path

for task in sorted(Path(__file__).resolve().parent.parent.joinpath("tasks").glob("*.txt")):
    print(f"{task.stem}: {task.read_text().strip()}")

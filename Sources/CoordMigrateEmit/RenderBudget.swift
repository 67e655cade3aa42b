import Foundation
import Mustache

/// How long a user's template may render and how much it may write.
///
/// A template's sections multiply: ten nested `{{#steps}}` sections over a plan of
/// twelve steps are 12¹⁰ passes, which would run for days and fill memory.
/// swift-mustache cannot be interrupted from outside, so the render is stopped from
/// inside: every value the template looks up comes through ``BudgetedObject`` and
/// ``BudgetedList``, which charge the ``RenderBudget``, and once it is spent every
/// lookup finds nothing and every list is empty, so the render runs out at once.
/// The caller then reports the limit instead of the truncated text.
struct RenderLimits: Sendable {
    /// The most bytes a template's output may have: 64 MiB.
    var maxBytes = 64 << 20
    /// The longest a template may take to render: 10 s.
    var maxSeconds = 10.0

    static let userTemplate = RenderLimits()
}

/// One render's spending: an estimate of the bytes written so far and the deadline.
///
/// The estimate counts, as each value is looked up, its text and the text directly
/// inside the section it opens (``TemplateOutline``), once per list item; text the
/// content type adds when escaping is not counted, so the real output is checked
/// again at the end.
final class RenderBudget {
    enum Exhausted: Equatable { case time, size }

    let limits: RenderLimits
    let outline: TemplateOutline
    private let deadline: UInt64
    private(set) var bytes = 0
    private(set) var exhausted: Exhausted?

    init(limits: RenderLimits, outline: TemplateOutline) {
        self.limits = limits
        self.outline = outline
        let nanoseconds = limits.maxSeconds * 1e9
        deadline = DispatchTime.now().uptimeNanoseconds &+ (nanoseconds >= 1.8e19 ? UInt64.max / 2 : UInt64(max(0, nanoseconds)))
    }

    /// Adds `count` bytes to the estimate; false once the budget is spent.
    @discardableResult
    func charge(_ count: Int) -> Bool {
        guard exhausted == nil else { return false }
        bytes &+= count
        if bytes > limits.maxBytes {
            exhausted = .size
        } else if DispatchTime.now().uptimeNanoseconds > deadline {
            exhausted = .time
        }
        return exhausted == nil
    }

    func markOversized() { if exhausted == nil { exhausted = .size } }

    /// `value`, found under `name`, as the template will see it: dictionaries and
    /// lists wrapped so their lookups are charged too, other values as they are.
    /// Nil once the budget is spent.
    func wrap(_ value: Any, name: String?) -> Any? {
        let opened = name.map { outline.sectionText[$0] ?? 0 } ?? 0
        let skipped = name.map { outline.invertedText[$0] ?? 0 } ?? 0
        switch value {
        case let text as String:
            return charge(text.utf8.count + opened) ? text : nil
        case let flag as Bool:
            return charge(flag ? opened : skipped) ? flag : nil
        case let object as [String: Any]:
            return charge(opened) ? BudgetedObject(object, budget: self) : nil
        case is BudgetedObject, is BudgetedList:
            return charge(opened) ? value : nil
        case let list as [Any]:
            return charge(list.isEmpty ? skipped : 0) ? BudgetedList(list, original: value, name: name, budget: self) : nil
        case let sequence as any Sequence:
            let items = Self.items(of: sequence)
            return charge(items.isEmpty ? skipped : 0) ? BudgetedList(items, original: value, name: name, budget: self) : nil
        default:
            // Numbers and anything else are printed with String(describing:).
            return charge(24 + opened) ? value : nil
        }
    }

    private static func items<S: Sequence>(of sequence: S) -> [Any] { sequence.map { $0 as Any } }

    /// Text a template prints for a whole object or list (`{{.}}` on one), charged.
    func describe(_ value: Any) -> String {
        let text = String(describing: value)
        return charge(text.utf8.count) ? text : ""
    }
}

/// A dictionary of the view model, whose lookups are charged to the budget.
final class BudgetedObject: MustacheParent, MustacheTransformable, CustomStringConvertible {
    let values: [String: Any]
    let budget: RenderBudget
    /// The context itself: a name found nowhere in the stack is looked up here last.
    let isRoot: Bool

    init(_ values: [String: Any], budget: RenderBudget, isRoot: Bool = false) {
        self.values = values
        self.budget = budget
        self.isRoot = isRoot
    }

    func child(named name: String) -> Any? {
        guard budget.exhausted == nil else { return nil }
        guard let value = values[name] else {
            // Not found anywhere: an inverted section of that name renders.
            if isRoot { budget.charge(budget.outline.invertedText[name] ?? 0) }
            return nil
        }
        return budget.wrap(value, name: name)
    }

    /// `count`, `empty`, `enumerated`, `sorted`, as for a dictionary; the pairs of
    /// `enumerated` and `sorted` become objects with `key` and `value`.
    func transform(_ name: String) -> Any? {
        guard budget.exhausted == nil, let result = values.transform(name) else { return nil }
        if let pairs = result as? [(key: String, value: Any)] {
            return budget.wrap(pairs.map { ["key": $0.key, "value": $0.value] as [String: Any] }, name: nil)
        }
        return budget.wrap(result, name: nil)
    }

    var description: String { budget.describe(values) }
}

/// A list of the view model whose items are charged to the budget as they are
/// rendered; it ends early once the budget is spent.
struct BudgetedList: MustacheSequence, MustacheTransformable, CustomStringConvertible {
    let items: [Any]
    /// The value as the view model holds it, for transforms (`sorted` needs the element type).
    let original: Any
    let name: String?
    let budget: RenderBudget

    init(_ items: [Any], original: Any, name: String?, budget: RenderBudget) {
        self.items = items
        self.original = original
        self.name = name
        self.budget = budget
    }

    struct Iterator: IteratorProtocol {
        let list: BudgetedList
        var index = 0

        mutating func next() -> Any? {
            guard index < list.items.count else { return nil }
            let item = list.items[index]
            index += 1
            // The section's text once per item, then the item itself.
            guard list.budget.charge(list.name.map { list.budget.outline.sectionText[$0] ?? 0 } ?? 0) else { return nil }
            return list.budget.wrap(item, name: nil)
        }
    }

    func makeIterator() -> Iterator { Iterator(list: self) }

    /// `first`, `last`, `reversed`, `count`, `empty`, `sorted`, as for the list itself.
    func transform(_ transform: String) -> Any? {
        guard budget.exhausted == nil, let result = (original as? any MustacheTransformable)?.transform(transform) else {
            return nil
        }
        return budget.wrap(result, name: name)
    }

    var description: String { budget.describe(original) }
}

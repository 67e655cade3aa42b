/// Finds every occurrence of a fixed set of byte strings in one pass over a text
/// (an Aho–Corasick automaton compiled to a table of 256 transitions a state).
///
/// Each program is read once whatever the number of phrases the extractors look
/// for; searching it once per phrase, line by line, cost more than the rest of an
/// analysis together.
package struct KeywordMatcher: Sendable {
    /// One occurrence: which keyword, and the offset of its first byte.
    package struct Hit: Sendable, Equatable {
        package var keyword: Int
        package var offset: Int
    }

    package let keywords: [[UInt8]]
    /// Bytes that occur in no keyword share class 0; the others have a class each, so
    /// a state's row is as wide as the alphabet the keywords use and the table stays in cache.
    private let byteClass: [UInt8]
    private let classCount: Int
    /// `next state × 2 × classCount`, plus 1 when keywords end in the next state: one load a
    /// byte, and the output table is only looked at where something ends. Each entry is
    /// stored twice (at `2 × class` and `2 × class + 1`), so an entry with its low bit set
    /// still indexes the right row and the loop never masks it off.
    private let transitions: [UInt32]
    /// For each state, the range in `outputs` of the keywords that end there.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    private let lengths: [Int32]

    package init(_ keywords: [String]) {
        self.keywords = keywords.map { Array($0.utf8) }
        lengths = self.keywords.map { Int32($0.count) }
        // Byte classes first, so the automaton is built as wide as the keywords' alphabet.
        var classes = [UInt8](repeating: 0, count: 256)
        var width = 1
        for keyword in self.keywords {
            for byte in keyword where classes[Int(byte)] == 0 {
                precondition(width < 255, "too many distinct bytes in the keywords")
                classes[Int(byte)] = UInt8(width)
                width += 1
            }
        }
        // The trie, one flat row of `width` entries a state; -1 is no edge yet.
        var goto = [Int32](repeating: -1, count: width)
        var ends: [[Int32]] = [[]]
        for (number, keyword) in self.keywords.enumerated() where !keyword.isEmpty {
            var state = 0
            for byte in keyword {
                let slot = state * width + Int(classes[Int(byte)])
                if goto[slot] < 0 {
                    goto[slot] = Int32(ends.count)
                    goto += [Int32](repeating: -1, count: width)
                    ends.append([])
                }
                state = Int(goto[slot])
            }
            ends[state].append(Int32(number))
        }
        let states = ends.count
        precondition(states * width * 2 < 0x8000_0000, "too many keywords")
        // Breadth first: each state's failure link, and its missing edges completed from it.
        var failure = [Int](repeating: 0, count: states)
        var queue: [Int] = []
        for symbol in 0..<width {
            let next = goto[symbol]
            if next < 0 { goto[symbol] = 0 } else { queue.append(Int(next)) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            ends[state] += ends[failure[state]]
            for symbol in 0..<width {
                let next = goto[state * width + symbol]
                let fallback = goto[failure[state] * width + symbol]
                if next < 0 {
                    goto[state * width + symbol] = fallback
                } else {
                    failure[Int(next)] = Int(fallback)
                    queue.append(Int(next))
                }
            }
        }
        // Upper-case ASCII matches as lower-case: raw text can be searched before it is lexed.
        // Class 0 stands for every byte no keyword has: it moves every state alike.
        for upper in 65...90 { classes[upper] = classes[upper + 32] }
        byteClass = classes
        classCount = width
        transitions = [UInt32](unsafeUninitializedCapacity: goto.count * 2) { table, count in
            for (slot, next) in goto.enumerated() {
                let entry = UInt32(Int(next) * width * 2) | (ends[Int(next)].isEmpty ? 0 : 1)
                table[2 * slot] = entry
                table[2 * slot + 1] = entry
            }
            count = goto.count * 2
        }
        var starts: [Int32] = []
        var flat: [Int32] = []
        for list in ends {
            starts.append(Int32(flat.count))
            flat += list.sorted()
        }
        starts.append(Int32(flat.count))
        outputStart = starts
        outputs = flat
    }

    /// Runs the automaton over `text` and calls `visit(state, end, stream, owned)` at every
    /// byte where keywords end (`state` is the automaton's state there, `end` the offset of
    /// the last byte); stops as soon as `visit` returns true, and says whether it did.
    ///
    /// Each step of the automaton waits for the load before it, so the text is read as four
    /// interleaved quarters: four chains of loads in flight instead of one. Every quarter
    /// after the first starts a keyword's length early, so no keyword is missed at a seam;
    /// `owned` is false for what ends in that early part, which the quarter before also sees.
    private func scan(_ text: [UInt8], _ visit: (_ state: Int, _ end: Int, _ stream: Int, _ owned: Bool) -> Bool) -> Bool {
        let width = classCount
        let overlap = max(0, (lengths.max().map(Int.init) ?? 1) - 1)
        return transitions.withUnsafeBufferPointer { table in
            byteClass.withUnsafeBufferPointer { classes in
                text.withUnsafeBufferPointer { text in
                    let count = text.count
                    let quarter = count / 4
                    // Stream k reads from start(k) to end(k) and owns what ends from k × quarter on.
                    // Computed, not kept in arrays: this runs for every program read.
                    func start(_ stream: Int) -> Int { stream == 0 ? 0 : max(0, stream * quarter - overlap) }
                    func end(_ stream: Int) -> Int { stream == 3 ? count : (stream + 1) * quarter }
                    func found(_ next: UInt32, _ index: Int, _ stream: Int) -> Bool {
                        visit(Int(next >> 1) / width, index, stream, index >= stream * quarter)
                    }
                    // Each stream reads through its own pointer and keeps its row in a local, so the loop
                    // keeps them in registers and checks no bounds.
                    let start0 = start(0), start1 = start(1), start2 = start(2), start3 = start(3)
                    let base = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
                    let text0 = base + start0, text1 = base + start1, text2 = base + start2, text3 = base + start3
                    let classes = classes.baseAddress!, table = table.baseAddress!
                    var rows: Rows = (0, 0, 0, 0)
                    let steps = end(0) - start0
                    var offset = 0
                    // The four run in lockstep for the first quarter's length, then each finishes alone.
                    while offset < steps {
                        offset = Self.lockstep(table, classes, (text0, text1, text2, text3), &rows, from: offset, to: steps)
                        guard offset < steps else { break }
                        // Each row is the entry the step read: its low bit says keywords end there.
                        if rows.0 & 1 != 0, found(UInt32(rows.0), start0 &+ offset, 0) { return true }
                        if rows.1 & 1 != 0, found(UInt32(rows.1), start1 &+ offset, 1) { return true }
                        if rows.2 & 1 != 0, found(UInt32(rows.2), start2 &+ offset, 2) { return true }
                        if rows.3 & 1 != 0, found(UInt32(rows.3), start3 &+ offset, 3) { return true }
                        offset &+= 1
                    }
                    for stream in 1...3 {
                        var row = stream == 1 ? rows.1 : stream == 2 ? rows.2 : rows.3
                        var index = start(stream) + offset
                        let last = end(stream)
                        while index < last {
                            let next = table[row &+ Int(classes[Int(text[index])]) &<< 1]
                            row = Int(next)
                            if next & 1 != 0, found(next, index, stream) { return true }
                            index &+= 1
                        }
                    }
                    return false
                }
            }
        }
    }

    private typealias Rows = (Int, Int, Int, Int)

    /// Steps the four streams from `start` and returns the offset of the first step at which one
    /// of them lands where keywords end (that step's entries left in `rows`), or `end` when none
    /// does. Kept apart from the visitor, whose code, inlined, took the registers the rows and
    /// pointers are kept in: the loop then moved them through the stack at every byte.
    @inline(never)
    private static func lockstep(
        _ table: UnsafePointer<UInt32>, _ classes: UnsafePointer<UInt8>,
        _ text: (UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>),
        _ rows: inout Rows, from start: Int, to end: Int
    ) -> Int {
        let (text0, text1, text2, text3) = text
        var (row0, row1, row2, row3) = rows
        var offset = start
        while offset < end {
            let a = table[row0 &+ Int(classes[Int(text0[offset])]) &<< 1]
            let b = table[row1 &+ Int(classes[Int(text1[offset])]) &<< 1]
            let c = table[row2 &+ Int(classes[Int(text2[offset])]) &<< 1]
            let d = table[row3 &+ Int(classes[Int(text3[offset])]) &<< 1]
            row0 = Int(a)
            row1 = Int(b)
            row2 = Int(c)
            row3 = Int(d)
            if (a | b | c | d) & 1 != 0 { break }
            offset &+= 1
        }
        rows = (row0, row1, row2, row3)
        return offset
    }

    /// The keywords that end in automaton state `state`.
    private func keywords(endingIn state: Int) -> Range<Int> { Int(outputStart[state])..<Int(outputStart[state + 1]) }

    /// Whether `text` holds any keyword, in any case, for which `accept` (given the offset
    /// of the longest one's first byte) is true; stops at the first.
    package func containsAny(in text: [UInt8], accept: (Int) -> Bool = { _ in true }) -> Bool {
        scan(text) { state, end, _, _ in
            var longest = 0
            for output in keywords(endingIn: state) { longest = max(longest, Int(lengths[Int(outputs[output])])) }
            return accept(end + 1 - longest)
        }
    }

    /// Every occurrence in `text`, in order of their last byte, at most `limit` of them — a
    /// quarter of it from each quarter of the text — so a file built of nothing but keywords
    /// costs bounded memory.
    package func hits(in text: [UInt8], limit: Int = 32_768) -> [Hit] {
        let perQuarter = max(1, limit / 4)
        // Room for a hit every 64 bytes, about what programs hold: the arrays seldom grow.
        let expected = min(perQuarter, text.count / 256 + 16)
        var found: [[Hit]] = (0..<4).map { _ in
            var quarter: [Hit] = []
            quarter.reserveCapacity(expected)
            return quarter
        }
        _ = scan(text) { state, end, stream, owned in
            guard owned, found[stream].count < perQuarter else { return false }
            for output in keywords(endingIn: state) {
                let keyword = Int(outputs[output])
                found[stream].append(Hit(keyword: keyword, offset: end + 1 - Int(lengths[keyword])))
            }
            return false
        }
        // Each quarter's hits are in order of their end, and the quarters follow each other.
        var all: [Hit] = []
        all.reserveCapacity(found.reduce(0) { $0 + $1.count })
        for quarter in found { all.append(contentsOf: quarter) }
        return all
    }
}

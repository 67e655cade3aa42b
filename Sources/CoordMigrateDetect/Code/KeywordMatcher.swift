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
    private let transitions: [Int32]
    /// For each state, the range in `outputs` of the keywords that end there.
    private let outputStart: [Int32]
    private let outputs: [Int32]

    package init(_ keywords: [String]) {
        self.keywords = keywords.map { Array($0.utf8) }
        var goto: [[Int32]] = [[Int32](repeating: -1, count: 256)]
        var ends: [[Int32]] = [[]]
        for (number, keyword) in self.keywords.enumerated() where !keyword.isEmpty {
            var state = 0
            for byte in keyword {
                if goto[state][Int(byte)] < 0 {
                    goto.append([Int32](repeating: -1, count: 256))
                    ends.append([])
                    goto[state][Int(byte)] = Int32(goto.count - 1)
                }
                state = Int(goto[state][Int(byte)])
            }
            ends[state].append(Int32(number))
        }
        // Breadth first: each state's failure link, and its transitions completed from it.
        var failure = [Int](repeating: 0, count: goto.count)
        var queue: [Int] = []
        for byte in 0..<256 {
            let next = goto[0][byte]
            if next < 0 { goto[0][byte] = 0 } else { queue.append(Int(next)) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            ends[state] += ends[failure[state]]
            for byte in 0..<256 {
                let next = goto[state][byte]
                if next < 0 {
                    goto[state][byte] = goto[failure[state]][byte]
                } else {
                    failure[Int(next)] = Int(goto[failure[state]][byte])
                    queue.append(Int(next))
                }
            }
        }
        transitions = goto.flatMap { $0 }
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

    /// Every occurrence in `text`, in order of their last byte.
    package func hits(in text: [UInt8]) -> [Hit] {
        var found: [Hit] = []
        transitions.withUnsafeBufferPointer { table in
            outputStart.withUnsafeBufferPointer { starts in
                text.withUnsafeBufferPointer { text in
                    var state = 0
                    for index in 0..<text.count {
                        state = Int(table[state &* 256 &+ Int(text[index])])
                        let from = Int(starts[state]), to = Int(starts[state &+ 1])
                        if from != to {
                            for output in from..<to {
                                let keyword = Int(outputs[output])
                                found.append(Hit(keyword: keyword, offset: index + 1 - keywords[keyword].count))
                            }
                        }
                    }
                }
            }
        }
        return found
    }
}

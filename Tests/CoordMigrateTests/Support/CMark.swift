@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
internal import CCmark
import Foundation

/// A CommonMark node copied out of cmark's tree, so tests can inspect it freely.
struct MarkdownNode {
    enum Kind: Equatable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock, paragraph, heading, thematicBreak
        case text, softBreak, lineBreak, code, htmlInline, customInline, emphasis, strong, link, image, other
    }

    var kind: Kind
    var level = 0
    var literal = ""
    var fenceInfo = ""
    var url = ""
    var listOrdered = false
    var children: [MarkdownNode] = []

    /// The concatenated text of the node's inline content (text and code literals; breaks as spaces).
    var plainText: String {
        switch kind {
        case .text, .code, .htmlInline: literal
        case .softBreak, .lineBreak: " "
        default: children.map(\.plainText).joined()
        }
    }

    /// Every node below this one, depth first, this one included.
    var all: [MarkdownNode] { [self] + children.flatMap(\.all) }
}

enum CMark {
    /// Parses CommonMark with cmark and copies the tree. Walks with cmark_iter.
    static func parse(_ text: String) -> MarkdownNode {
        let document = cmark_parse_document(text, text.utf8.count, CMARK_OPT_DEFAULT)!
        defer { cmark_node_free(document) }
        let iterator = cmark_iter_new(document)!
        defer { cmark_iter_free(iterator) }
        var stack: [MarkdownNode] = []
        var root: MarkdownNode?
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            let node = cmark_iter_get_node(iterator)!
            let isLeaf = cmark_node_first_child(node) == nil && !isContainer(cmark_node_get_type(node))
            if event == CMARK_EVENT_ENTER {
                let copied = copy(node)
                if isLeaf {
                    stack[stack.count - 1].children.append(copied)
                } else {
                    stack.append(copied)
                }
            } else if event == CMARK_EVENT_EXIT {
                let finished = stack.removeLast()
                if stack.isEmpty { root = finished } else { stack[stack.count - 1].children.append(finished) }
            }
        }
        return root!
    }

    /// Renders CommonMark to HTML with cmark; `unsafe` keeps raw HTML instead of omitting it.
    static func html(_ text: String, unsafe: Bool = false) -> String {
        let options = unsafe ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        let document = cmark_parse_document(text, text.utf8.count, options)!
        defer { cmark_node_free(document) }
        let rendered = cmark_render_html(document, options)!
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Node types that get an exit event even when empty.
    private static func isContainer(_ type: cmark_node_type) -> Bool {
        switch type {
        case CMARK_NODE_DOCUMENT, CMARK_NODE_BLOCK_QUOTE, CMARK_NODE_LIST, CMARK_NODE_ITEM, CMARK_NODE_CUSTOM_BLOCK,
            CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_CUSTOM_INLINE, CMARK_NODE_EMPH, CMARK_NODE_STRONG,
            CMARK_NODE_LINK, CMARK_NODE_IMAGE:
            true
        default:
            false
        }
    }

    private static func copy(_ node: OpaquePointer) -> MarkdownNode {
        let type = cmark_node_get_type(node)
        var copied = MarkdownNode(kind: kind(type))
        if let literal = cmark_node_get_literal(node) { copied.literal = String(cString: literal) }
        switch type {
        case CMARK_NODE_HEADING: copied.level = Int(cmark_node_get_heading_level(node))
        case CMARK_NODE_CODE_BLOCK:
            if let info = cmark_node_get_fence_info(node) { copied.fenceInfo = String(cString: info) }
        case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
            if let url = cmark_node_get_url(node) { copied.url = String(cString: url) }
        case CMARK_NODE_LIST: copied.listOrdered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
        default: break
        }
        return copied
    }

    private static func kind(_ type: cmark_node_type) -> MarkdownNode.Kind {
        switch type {
        case CMARK_NODE_DOCUMENT: .document
        case CMARK_NODE_BLOCK_QUOTE: .blockQuote
        case CMARK_NODE_LIST: .list
        case CMARK_NODE_ITEM: .item
        case CMARK_NODE_CODE_BLOCK: .codeBlock
        case CMARK_NODE_HTML_BLOCK: .htmlBlock
        case CMARK_NODE_CUSTOM_BLOCK: .customBlock
        case CMARK_NODE_PARAGRAPH: .paragraph
        case CMARK_NODE_HEADING: .heading
        case CMARK_NODE_THEMATIC_BREAK: .thematicBreak
        case CMARK_NODE_TEXT: .text
        case CMARK_NODE_SOFTBREAK: .softBreak
        case CMARK_NODE_LINEBREAK: .lineBreak
        case CMARK_NODE_CODE: .code
        case CMARK_NODE_HTML_INLINE: .htmlInline
        case CMARK_NODE_CUSTOM_INLINE: .customInline
        case CMARK_NODE_EMPH: .emphasis
        case CMARK_NODE_STRONG: .strong
        case CMARK_NODE_LINK: .link
        case CMARK_NODE_IMAGE: .image
        default: .other
        }
    }
}

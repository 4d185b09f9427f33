//! The UI's languages: one table of `(English, Chinese)` pairs, the English text being the
//! key. [`tr`] gives a string in the current language; [`trf`] fills its `{name}`
//! placeholders too. The current language is the drawing thread's: [`App`] sets it at the
//! start of every frame and of every command, so apps on other threads (kittests run in
//! parallel) keep their own.
//!
//! [`App`]: crate::gui::App

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::LazyLock;

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// The project's meta key of the chosen language.
pub(in crate::gui) const LANG_META_KEY: &str = "gui.language";

impl Lang {
    /// How the project's meta stores it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language for a locale name (`zh_CN.UTF-8`, `zh-Hans-CN`, `en-US`): Chinese for
    /// any Chinese locale, else English.
    pub fn for_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The system's: its locale on Windows and macOS, LC_ALL / LC_MESSAGES / LANG elsewhere.
    pub fn system() -> Lang {
        sys_locale::get_locale().map_or(Lang::En, |locale| Lang::for_locale(&locale))
    }

    /// The language's name in itself, as the switch shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Makes `lang` the language of what this thread draws and says from now on.
pub fn set_current(lang: Lang) {
    CURRENT.with(|current| current.set(lang));
}

pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

/// `en` in the current language.
pub fn tr(en: &'static str) -> &'static str {
    match current() {
        Lang::En => en,
        Lang::Zh => INDEX.get(en).copied().unwrap_or(en),
    }
}

/// `en` in the current language, each `{name}` replaced by its value in `values`.
pub fn trf(en: &'static str, values: &[(&str, &str)]) -> String {
    // One pass, so a value that itself holds `{name}` (a file name, a typed query) is shown
    // as it is.
    let template = tr(en);
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(name, _)| *name == &after[..close])
                .map(|v| (close, v.1))
        });
        match value {
            Some((close, value)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

/// `n` and its noun in the current language: in English [`crate::count`]'s "1 relation
/// suggestion", "3 relation suggestions"; in Chinese `zh`, one template for every number,
/// its `{n}` the number (`"{n} 条关系建议"`).
pub fn count(n: usize, singular: &str, plural: &str, zh: &str) -> String {
    match current() {
        Lang::En => crate::count(n, singular, plural),
        Lang::Zh => zh.replace("{n}", &n.to_string()),
    }
}

/// An entity's or relation's status, as the UI names it.
pub fn status_name(status: crate::model::Status) -> &'static str {
    use crate::model::Status;
    match status {
        Status::Suggested => tr("suggested"),
        Status::Accepted => tr("accepted"),
        Status::Rejected => tr("rejected"),
        Status::Superseded => tr("superseded"),
    }
}

/// A document's status, as the UI names it.
pub fn document_status_name(status: crate::model::DocStatus) -> &'static str {
    use crate::model::DocStatus;
    match status {
        DocStatus::New => tr("new"),
        DocStatus::InProgress => tr("in progress"),
        DocStatus::Done => tr("done"),
    }
}

static INDEX: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| TABLE.iter().copied().collect());

/// Every UI string: English (the key), Chinese.
static TABLE: &[(&str, &str)] = &[
    // The menu bar.
    ("File", "文件"),
    ("View", "视图"),
    ("New or open project…", "新建或打开项目…"),
    ("Open server project…", "打开服务器项目…"),
    (
        "a project on a team server: postgres://user@host:port/db",
        "团队服务器上的项目：postgres://用户@主机:端口/数据库",
    ),
    ("Import files…", "导入文件…"),
    ("Import folder…", "导入文件夹…"),
    ("Export…", "导出…"),
    ("Save a copy…", "另存副本…"),
    (
        "one self-contained file with every saved edit, safe while you keep working",
        "包含全部已保存修改的独立文件，可以边标注边保存",
    ),
    ("Re-run pre-tag", "重新预标注"),
    ("Train now (Ctrl+T)", "立即训练模型 (Ctrl+T)"),
    (
        "learn from the documents done, and re-suggest the untouched ones if the model beats the rules",
        "从已完成的文档学习；若模型胜过规则，则为未改动的文档重新生成建议",
    ),
    ("retrain after every", "每完成"),
    ("documents done (0: off)", "篇文档后重新训练（0：关闭）"),
    ("Type a path to import…", "输入路径导入…"),
    (
        "the in-app path window, for desktops without a file dialog portal",
        "应用内的路径窗口，适用于没有文件对话框门户的桌面",
    ),
    ("Word boundaries", "显示分词边界"),
    ("Shortcuts (?)", "快捷键 (?)"),
    ("Schema: labels and relation types", "标注体系：标签与关系类型"),
    ("Statistics", "统计"),
    ("Search the corpus (Ctrl+Shift+F)", "全库搜索 (Ctrl+Shift+F)"),
    ("Language", "界面语言"),
    // The shortcut sheet's rows (src/gui/keys/table.rs).
    ("Ctrl+Enter again / Enter", "再按 Ctrl+Enter / Enter"),
    (
        "when asked (suggestions left): mark done anyway; Esc goes back",
        "询问时（仍有建议）：仍然标记完成；Esc 返回",
    ),
    (
        "search the whole corpus: label all hits, accept their suggestions",
        "全库搜索：标注所有结果，接受其中的建议",
    ),
    (
        "train the tagger on the documents done; re-suggest the untouched ones if it beats the rules",
        "用已完成的文档训练模型；若胜过规则，则为未改动的文档重新生成建议",
    ),
    ("undo / redo (survives a restart)", "撤销 / 重做（重启后仍可用）"),
    (
        "mark the document done, open the next (asks first while suggestions are left)",
        "标记文档完成并打开下一篇（仍有建议时先询问）",
    ),
    ("find in the document", "在文档中查找"),
    (
        "go to a character offset, or p12 for paragraph 12",
        "跳转到字符位置，或输入 p12 跳转到第 12 段",
    ),
    ("scroll to the top / bottom of the document", "滚动到文档开头 / 结尾"),
    ("scroll the document a page up / down", "文档向上 / 向下滚动一页"),
    ("move the start one character", "起点移动一个字"),
    ("move the end one character", "终点移动一个字"),
    (
        "next / previous relation of the selected span, as the side list shows them",
        "选中标注的下一条 / 上一条关系（按侧栏列表顺序）",
    ),
    ("previous span", "上一个标注"),
    ("next span (suggestions first)", "下一个标注（建议优先）"),
    (
        "Enter / Delete / T / Esc (relation)",
        "Enter / Delete / T / Esc（关系）",
    ),
    (
        "accept / reject (then the span's next suggested relation) / retype the selected relation; Esc: back to the span",
        "接受 / 拒绝（随后转到该标注的下一条建议关系）/ 更改选中关系的类型；Esc：回到标注",
    ),
    (
        "start a relation from the selected span: Tab picks the tail, Enter, then 1-9 the type",
        "从选中标注开始建立关系：Tab 选择尾实体，按 Enter，再用 1-9 选择类型",
    ),
    ("accept the suggestion", "接受建议"),
    ("reject a suggestion, delete a span", "拒绝建议，删除标注"),
    (
        "accept every relation suggestion whose two ends are accepted (one undo step)",
        "接受两端均已接受的所有关系建议（一步撤销）",
    ),
    (
        "accept every entity suggestion in the document",
        "接受文档中的所有实体建议",
    ),
    ("this sheet", "本快捷键表"),
    (
        "relabel the selection, or pick the label for new spans",
        "更改选中标注的标签，或选择新标注的标签",
    ),
    ("review: ↑/↓ A B E R", "审核：↑/↓ A B E R"),
    (
        "move; take A's, B's, the palette label, or reject, into gold",
        "移动；将 A 的、B 的或当前标签写入金标准，或拒绝",
    ),
    ("drag", "拖动"),
    (
        "new span, snapped to words, across spans too; Alt+drag: exact characters; Shift+drag span to span: a relation",
        "新建标注，对齐到词边界，也可跨越已有标注；Alt+拖动：精确到字；Shift+从标注拖到标注：建立关系",
    ),
    ("click / right-click", "单击 / 右键单击"),
    (
        "select / relabel, accept, reject here or for good, delete, label everywhere",
        "选中 / 更改标签、接受、仅在此处或永久拒绝、删除、全库标注",
    ),
    // The find window.
    ("Find", "查找"),
    ("find:", "查找："),
    ("{n} matches", "{n} 处匹配"),
    ("wrapped to the first match", "已回到第一处匹配"),
    ("wrapped to the last match", "已回到最后一处匹配"),
    (
        "Enter: next, Shift+Enter: previous",
        "Enter：下一处，Shift+Enter：上一处",
    ),
    // The go-to window.
    ("Go to", "跳转到"),
    (
        "a character offset (1234) or a paragraph (p12 or ¶12)",
        "字符位置（1234）或段落（p12 或 ¶12）",
    ),
    ("go to:", "跳转到："),
    (
        "{query} is not a number: type 1234 for a character offset, p12 for a paragraph",
        "{query} 不是数字：输入 1234 表示字符位置，p12 表示段落",
    ),
    (
        "no paragraph {n}: the document has {paragraphs}",
        "没有第 {n} 段：文档共 {paragraphs}",
    ),
    ("{n} paragraphs", "{n} 段"),
    (
        "no character {at}: the document has {n_chars} (offsets from 0)",
        "没有位置 {at} 的字：文档共 {n_chars} 字（位置从 0 开始）",
    ),
    ("at character {at}", "已跳转到位置 {at}"),
    // The relation type chooser.
    ("Relation type", "关系类型"),
    ("Cancel (Esc)", "取消 (Esc)"),
    // The corpus search.
    ("Search the corpus", "全库搜索"),
    ("search:", "搜索："),
    ("regex", "正则表达式"),
    ("Search", "搜索"),
    ("label", "标签"),
    ("any label", "任意标签"),
    ("status", "状态"),
    ("any status", "任意状态"),
    ("unannotated occurrences of annotated strings", "已标注文本的未标注出现"),
    ("{n} hits", "{n} 处结果"),
    ("Label all hits as {label}", "将所有结果标注为 {label}"),
    ("Accept every suggestion in the hits", "接受结果中的所有建议"),
    ("not a regular expression: {error}", "不是有效的正则表达式：{error}"),
    ("no hits to label", "没有可标注的结果"),
    ("the hit is {label} already", "该结果已是 {label}"),
    ("all {n} hits are {label} already", "全部 {n} 处结果已是 {label}"),
    ("{n} hits are", "{n} 处结果已是"),
    (
        "nothing to label: {hits} {label} already, the others overlap other spans",
        "没有可标注的：{hits} {label}，其余与其他标注重叠",
    ),
    ("labelled {hits} as {label}", "已将 {hits} 标注为 {label}"),
    ("accepted {n} suggestions", "已接受 {n} 条建议"),
    // The schema window.
    ("Schema", "标注体系"),
    ("Labels", "标签"),
    ("the colour of {label}", "{label} 的颜色"),
    ("key:", "快捷键："),
    ("save", "保存"),
    ("remove", "删除"),
    ("new label:", "新标签："),
    ("中文:", "中文名："),
    ("add", "添加"),
    ("Relation types", "关系类型"),
    ("new type:", "新类型："),
    ("head labels:", "头实体标签："),
    ("tail labels:", "尾实体标签："),
    ("rename:", "重命名："),
    ("to:", "改为："),
    ("rename", "重命名"),
    (
        "label {name} is used by {n} entities. Remove it and them?",
        "标签 {name} 被 {n} 个实体使用。要一并删除吗？",
    ),
    (
        "relation type {name} is used by {n} relations. Remove it and them?",
        "关系类型 {name} 被 {n} 条关系使用。要一并删除吗？",
    ),
    ("Remove", "删除"),
    ("Keep", "保留"),
    (
        "hotkey {key} refused: a label's hotkey is one digit, 1 to 9",
        "快捷键 {key} 无效：标签的快捷键是一个数字，1 到 9",
    ),
    (
        "hotkey {key} is taken by label {label}; free it there first",
        "快捷键 {key} 已被标签 {label} 占用；请先在那里释放",
    ),
    ("no label {name}", "没有标签 {name}"),
    ("label {name} changed", "标签 {name} 已修改"),
    (
        "removed label {name} and {n} entities",
        "已删除标签 {name} 及 {n} 个实体",
    ),
    ("no relation type {name}", "没有关系类型 {name}"),
    (
        "removed relation type {name} and {n} relations",
        "已删除关系类型 {name} 及 {n} 条关系",
    ),
    // Annotating: messages and refusals.
    ("not marked done: {what} to check", "未标记完成：待检查 {what}"),
    ("already {label}", "已是 {label}"),
    ("{text} is now {label}", "{text} 已改为 {label}"),
    ("{n} entity suggestions", "{n} 条实体建议"),
    ("{n} relation suggestions", "{n} 条关系建议"),
    (
        "accepted {accepted}; {left} left (Shift+A accepts those with accepted ends)",
        "已接受 {accepted}；还剩 {left}（Shift+A 接受两端均已接受的）",
    ),
    ("accepted {accepted}", "已接受 {accepted}"),
    (
        "{what} is unreviewed — Ctrl+Enter again to mark done anyway, Esc to go back",
        "{what}尚未审核 — 再按 Ctrl+Enter 仍然标记完成，Esc 返回",
    ),
    (
        "{what} are unreviewed — Ctrl+Enter again to mark done anyway, Esc to go back",
        "{what}尚未审核 — 再按 Ctrl+Enter 仍然标记完成，Esc 返回",
    ),
    ("every document is done", "所有文档均已完成"),
    ("nothing to undo", "没有可撤销的操作"),
    ("nothing to redo", "没有可重做的操作"),
    ("undid {action}", "已撤销：{action}"),
    ("redid {action}", "已重做：{action}"),
    ("added {label} {text}", "已添加 {label} {text}"),
    (
        "added {label} {text}, replacing {replaced}",
        "已添加 {label} {text}，替换了 {replaced}",
    ),
    (
        "the span cannot shrink to nothing or leave the text",
        "标注不能缩为空，也不能超出文本",
    ),
    ("the span would overlap {label} {text}", "标注会与 {label} {text} 重叠"),
    (
        "labelled {n} more occurrences of {text} as {label}",
        "已将另外 {n} 处 {text} 标注为 {label}",
    ),
    // Review and the store's lock.
    ("choose two different annotators", "请选择两位不同的标注者"),
    ("{annotator} has no span here", "{annotator} 在此处没有标注"),
    (
        "another program is writing to the project; this action was not saved, try it again",
        "另一个程序正在写入项目；此操作未保存，请重试",
    ),
    // The status bar.
    ("annotator: {name}", "标注者：{name}"),
    ("switch", "切换"),
    ("Annotator name:", "标注者姓名："),
    ("Save", "保存"),
    ("saved: every edit", "每次修改即保存"),
    ("new spans: {label}", "新标注：{label}"),
    ("to check: {count}", "待检查：{count}"),
    ("Mark done anyway", "仍然标记完成"),
    ("Go back", "返回"),
    ("Dark theme", "深色主题"),
    ("tagger: {tagger}", "模型：{tagger}"),
    ("error: {error}", "错误：{error}"),
    (
        "click a suggestion · Enter accepts · Delete rejects · ? all keys",
        "点击建议 · Enter 接受 · Delete 拒绝 · ? 全部快捷键",
    ),
    // The empty state.
    ("No documents yet: File → Import files…", "还没有文档：文件 → 导入文件…"),
    (
        "Open a document on the left — then click a suggestion: Enter accepts, Delete rejects, ? shows all keys",
        "在左侧打开一篇文档，然后点击建议：Enter 接受，Delete 拒绝，? 查看全部快捷键",
    ),
    // The document list.
    ("Documents", "文档"),
    ("filter:", "筛选："),
    ("id order", "按编号"),
    ("as imported", "按导入顺序"),
    ("most uncertain first", "最不确定优先"),
    (
        "by the least sure suggestion, as the tagger rates them now; edits do not move lines, click again (or train) to sort again",
        "按最不确定的建议排序（以模型当前的评分为准）；修改不会移动列表行，再次点击（或训练后）重新排序",
    ),
    ("all", "全部"),
    ("every document of the project", "项目的全部文档"),
    ("mine", "我的"),
    ("the documents assigned to you", "分配给你的文档"),
    ("to review", "待审"),
    (
        "the documents every assigned annotator has finished",
        "所有分配的标注员都已完成的文档",
    ),
    ("{chars} chars · {n} to check", "{chars} 字 · {n} 待检查"),
    (" · least sure {confidence}", " · 最低置信度 {confidence}"),
    // The context menu.
    ("Relabel", "更改标签"),
    ("Accept", "接受"),
    ("Reject here", "仅在此处拒绝"),
    ("Never suggest “{text}” as {label}", "不再将“{text}”建议为 {label}"),
    ("Delete", "删除"),
    ("Label every occurrence in the corpus", "在全库中标注所有相同文本"),
    ("suggested", "建议"),
    ("accepted", "已接受"),
    ("rejected", "已拒绝"),
    ("superseded", "已取代"),
    ("new", "未开始"),
    ("in progress", "进行中"),
    ("done", "已完成"),
    // The shortcut sheet.
    ("Shortcuts", "快捷键"),
    ("Keys", "按键"),
    ("Action", "操作"),
    // The export window.
    ("Export", "导出"),
    ("format", "格式"),
    ("annotations", "标注"),
    ("suggestions too (never rejected ones)", "包括建议（不含已拒绝的）"),
    ("annotator", "标注者"),
    ("everyone", "所有人"),
    ("labels", "标签"),
    ("tags (conll, hf)", "标签方案 (conll, hf)"),
    ("split", "划分"),
    ("seed", "随机种子"),
    ("folder", "文件夹"),
    ("file", "文件"),
    ("Browse…", "浏览…"),
    // The path window.
    ("New or open project", "新建或打开项目"),
    ("Import files", "导入文件"),
    ("Import a folder", "导入文件夹"),
    ("Export to", "导出到"),
    ("Save a copy as", "副本另存为"),
    ("Open", "打开"),
    ("Import", "导入"),
    ("Choose", "选择"),
    ("Cancel", "取消"),
    (
        "a name here, a path, or .. — Enter opens, Escape cancels",
        "此处的名称、路径或 .. — Enter 打开，Escape 取消",
    ),
    ("cannot list {folder}: {error}", "无法列出 {folder}：{error}"),
    // The server window.
    ("Open server project", "打开服务器项目"),
    ("server address:", "服务器地址："),
    (
        "a server address starts with postgres://, as in postgres://user@host:port/db",
        "服务器地址以 postgres:// 开头，例如 postgres://user@host:port/db",
    ),
    // The review window.
    ("Review", "审核"),
    ("A = {a}   B = {b}   → gold", "A = {a}   B = {b}   → 金标准"),
    (
        "↑/↓ move · A take A · B take B · E take with the palette label · R reject · Esc close",
        "↑/↓ 移动 · A 采用 A · B 采用 B · E 采用当前标签 · R 拒绝 · Esc 关闭",
    ),
    ("{places} places, {agreed} agreed", "{places} 处，{agreed} 处一致"),
    ("gold {label}", "金标准 {label}"),
    ("Close review (Esc)", "关闭审核 (Esc)"),
    (
        "Review needs two annotators' layers: merge their project files first.",
        "审核需要两位标注者的标注：请先合并他们的项目文件。",
    ),
    ("Review {a} vs {b}", "审核 {a} 与 {b}"),
    // The app's messages.
    ("an annotator name cannot be empty", "标注者姓名不能为空"),
    ("opened {path}", "已打开 {path}"),
    // Working together on a server.
    ("reconnected to the server", "已重新连接服务器"),
    ("changed by someone else — reloaded", "已被他人修改，已重新载入"),
    (
        "this project lives in memory: there is no file to copy",
        "此项目只在内存中：没有可复制的文件",
    ),
    (
        "saved a copy to {path} ({documents} documents, {entities} entities)",
        "已将副本保存到 {path}（{documents} 篇文档，{entities} 个实体）",
    ),
    ("wait for the running task to finish", "请等待正在运行的任务完成"),
    ("exported {n} documents as {format}", "已将 {n} 篇文档导出为 {format}"),
    (
        "pre-tagged {n} documents: {added} suggestions added",
        "已预标注 {n} 篇文档：新增 {added} 条建议",
    ),
    ("training waits for {task} to finish", "训练将在 {task} 完成后开始"),
    (
        "the tagger retrains only when asked (Train now)",
        "模型仅在手动要求时重新训练（立即训练模型）",
    ),
    (
        "the tagger retrains after every {n} documents marked done",
        "每完成 {n} 篇文档，模型自动重新训练",
    ),
    ("text and datasets", "文本与数据集"),
    ("biaozhu project", "biaozhu 项目"),
    // The side panel.
    ("Selected", "选中"),
    ("chars", "字符"),
    ("source", "来源"),
    (
        "model (learned from accepted annotations)",
        "模型（从已接受的标注中学习）",
    ),
    ("confidence", "置信度"),
    ("Accept (Enter)", "接受 (Enter)"),
    ("Reject (Del)", "拒绝 (Del)"),
    ("Delete (Del)", "删除 (Del)"),
    ("Left to check: {count}", "尚待检查：{count}"),
    ("Entities ({n}, {to_check} to check)", "实体（{n}，{to_check} 待检查）"),
    (" · model {confidence}", " · 模型 {confidence}"),
    (
        "Relations of {span}: {shown} of {total}",
        "{span} 的关系：{shown} / {total}",
    ),
    ("Relations: {total}", "关系：{total}"),
    ("all relations", "全部关系"),
    (
        "every relation of the document, not only the selected span's",
        "文档中的全部关系，而不只是选中片段的",
    ),
    ("{n} to check", "{n} 待检查"),
    ("Retype (T): another type", "改类型 (T)：换一种关系类型"),
    ("Reject (Del): turn the suggestion down", "拒绝 (Del)：不采纳此建议"),
    ("Delete (Del): delete the relation", "删除 (Del)：删除此关系"),
    // What is left to check (annotate.rs).
    ("no suggestions", "没有建议"),
    ("{e} entity suggestion", "{e} 条实体建议"),
    ("{e} entity suggestions", "{e} 条实体建议"),
    ("{r} relation suggestion", "{r} 条关系建议"),
    ("{r} relation suggestions", "{r} 条关系建议"),
    (
        "{e} entity and {r} relation suggestions",
        "{e} 条实体建议和 {r} 条关系建议",
    ),
    // The statistics window.
    (
        "{accepted} + {left} to check ({share} accepted)",
        "{accepted} + {left} 待检查（已接受 {share}）",
    ),
    (
        "{done} of {total} documents done · {accepted} accepted · {left} suggestions to check",
        "已完成 {done} / {total} 篇文档 · 已接受 {accepted} · 待检查建议 {left}",
    ),
    ("Tagger", "标注模型"),
    (
        "Learning curve: held-out F1 against sentences trained on ({runs} runs)",
        "学习曲线：留出集 F1 随训练句数的变化（{runs} 次训练）",
    ),
    (
        "No scored training run yet: File → Train now (Ctrl+T).",
        "还没有评分过的训练：文件 → 立即训练模型 (Ctrl+T)。",
    ),
    ("sentences", "句数"),
    ("model", "模型"),
    ("rules", "规则"),
    (
        "Progress per document: accepted (green) and suggestions left (orange)",
        "各文档进度：已接受（绿）与待检查建议（橙）",
    ),
    ("Accepted entities per label", "各标签的已接受实体"),
    ("Accepted relations per type", "各类型的已接受关系"),
    ("Entities per 1,000 characters", "每千字实体数"),
    (
        "Agreement per label, {a} vs {b} (exact-span F1; token κ {kappa})",
        "各标签一致性，{a} 与 {b}（精确片段 F1；逐字 κ {kappa}）",
    ),
    (
        "Agreement: needs two annotators' layers (merge their project files).",
        "一致性：需要两位标注者的标注（请先合并他们的项目文件）。",
    ),
    (
        "Accepted annotations over time (hours since the first)",
        "已接受标注随时间的增长（自第一条起的小时数）",
    ),
    ("nothing yet", "暂无数据"),
    // Relations (app/relations.rs).
    ("{span} has no relation", "{span} 没有关系"),
    ("the document has no relation", "文档中没有关系"),
    ("relation {i} of {n}", "第 {i} 条关系，共 {n} 条"),
    ("{left} of {span} left", "{span} 还剩 {left}"),
    ("{left} left", "还剩 {left}"),
    ("no relation suggestion of {span} left", "{span} 没有剩余的关系建议"),
    ("no relation suggestion left", "没有剩余的关系建议"),
    (
        "accepted {what} ({waiting} left: an end is still a suggestion)",
        "已接受 {what}（剩余 {waiting} 条：有一端仍是建议）",
    ),
    (
        "select the span the relation starts from, then press R",
        "先选中关系起点的片段，再按 R",
    ),
    (
        "no relation type starts from a {label} span here",
        "此处没有从 {label} 片段出发的关系类型",
    ),
    (
        "relation: Tab picks the tail, Enter confirms, Esc cancels",
        "关系：Tab 选择终点，Enter 确认，Esc 取消",
    ),
    ("no relation type fits that span", "没有适合该片段的关系类型"),
    (
        "no relation type goes from {head} to {tail}",
        "没有从 {head} 到 {tail} 的关系类型",
    ),
    ("{kind} does not fit these spans", "{kind} 不适用于这两个片段"),
    ("this {kind} relation is already there", "这条 {kind} 关系已存在"),
    ("{kind} relation saved", "已保存 {kind} 关系"),
    ("the relation is accepted already", "该关系已被接受"),
    ("accepted {relation}", "已接受 {relation}"),
    ("rejected {relation}", "已拒绝 {relation}"),
    ("deleted {relation}", "已删除 {relation}"),
    // Background tasks (tasks.rs).
    ("the {task} thread stopped unexpectedly", "{task}线程意外停止"),
    ("pre-tagging", "预标注"),
    ("training", "训练"),
    ("exporting", "导出"),
    ("importing", "导入"),
    (
        "pre-tagged {n} documents: {added} suggestions added, {removed} removed",
        "已预标注 {n} 篇文档：新增 {added} 条建议，移除 {removed} 条",
    ),
    (
        "exported {documents} documents, {entities} entities, {relations} relations as {format} to {path}",
        "已将 {documents} 篇文档、{entities} 个实体、{relations} 条关系以 {format} 格式导出到 {path}",
    ),
    (
        "; {n} documents hold more than one annotator's layer ({annotators}), written together",
        "；其中 {n} 篇文档含多位标注者的标注层（{annotators}），已一并导出",
    ),
    (
        "imported {documents} ({unchanged} unchanged, {extended} extended) and pre-tagged them",
        "已导入 {documents}（{unchanged} 篇未变，{extended} 篇有扩充）并完成预标注",
    ),
    (
        "{n} warnings, first: {first} in {file}",
        "{n} 条警告，第一条：{file} 中的 {first}",
    ),
    ("{files} failed, first: {error}", "{files}失败，第一个错误：{error}"),
    (
        "trained on {documents} documents ({sentences} sentences) in {seconds}s — {verdict}",
        "用 {documents} 篇文档（{sentences} 句）训练了 {seconds} 秒 — {verdict}",
    ),
    (
        "; re-suggested {n} untouched documents",
        "；已为 {n} 篇未改动的文档重新生成建议",
    ),
    (
        "; {n} documents with suggestions left to review were left out (mark them done)",
        "；{n} 篇仍有待检查建议的文档未参与训练（请将其标记为完成）",
    ),
];

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};
    use std::path::Path;

    use super::*;

    /// The `{name}` placeholders of a text.
    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn keys_are_unique() {
        let mut seen = HashSet::new();
        for (en, _) in TABLE {
            assert!(seen.insert(en), "{en:?} is in the table twice");
        }
    }

    #[test]
    fn no_translation_is_empty() {
        for (en, zh) in TABLE {
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{en:?} → {zh:?}");
        }
    }

    #[test]
    fn placeholders_match() {
        for (en, zh) in TABLE {
            assert_eq!(placeholders(en), placeholders(zh), "{en:?} → {zh:?}");
        }
    }

    #[test]
    fn a_value_holding_a_placeholder_is_shown_as_it_is() {
        set_current(Lang::En);
        assert_eq!(
            trf("new spans: {label}", &[("label", "{label}{x")]),
            "new spans: {label}{x"
        );
        assert_eq!(trf("new spans: {label}", &[]), "new spans: {label}");
    }

    #[test]
    fn the_language_is_the_threads_and_fills_placeholders() {
        set_current(Lang::Zh);
        assert_eq!(tr("File"), "文件");
        assert_eq!(trf("Review {a} vs {b}", &[("a", "甲"), ("b", "乙")]), "审核 甲 与 乙");
        let other = std::thread::spawn(|| tr("File")).join().expect("thread");
        assert_eq!(other, "File", "another thread starts in English");
        set_current(Lang::En);
        assert_eq!(
            trf("{places} places, {agreed} agreed", &[("places", "3"), ("agreed", "1")]),
            "3 places, 1 agreed"
        );
    }

    #[test]
    fn counts_are_plural_in_english_and_templated_in_chinese() {
        let says = |n| count(n, "relation suggestion", "relation suggestions", "{n} 条关系建议");
        set_current(Lang::En);
        assert_eq!(says(1), "1 relation suggestion");
        assert_eq!(says(3), "3 relation suggestions");
        assert_eq!(says(0), crate::count(0, "relation suggestion", "relation suggestions"));
        set_current(Lang::Zh);
        assert_eq!(says(1), "1 条关系建议");
        assert_eq!(says(3), "3 条关系建议");
        set_current(Lang::En);
    }

    #[test]
    fn chinese_locales_choose_chinese() {
        for locale in ["zh_CN.UTF-8", "zh-Hans-CN", "zh_TW", "ZH"] {
            assert_eq!(Lang::for_locale(locale), Lang::Zh, "{locale}");
        }
        for locale in ["en_US.UTF-8", "C", "", "de-DE", "POSIX"] {
            assert_eq!(Lang::for_locale(locale), Lang::En, "{locale}");
        }
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }

    /// The shortcut sheet's rows are `&'static str`s the help window passes through `tr`:
    /// every action, and every key text with a word in it ("Ctrl+Enter again"), is in the
    /// table; key names alone ("Ctrl+G", "PageUp") stay as they are.
    #[test]
    fn every_shortcut_sheet_row_is_in_the_table() {
        let has_word = |keys: &str| {
            keys.split(|c: char| !c.is_ascii_alphabetic())
                .any(|word| word.len() > 1 && word.chars().all(|c| c.is_ascii_lowercase()))
        };
        let rows = crate::gui::keys::sheet();
        assert!(rows.len() > 20, "the sheet has only {} rows", rows.len());
        for row in rows {
            assert!(INDEX.contains_key(row.what), "not in the table: {:?}", row.what);
            if has_word(row.keys) {
                assert!(INDEX.contains_key(row.keys), "not in the table: {:?}", row.keys);
            }
        }
    }

    /// The string literals passed to `tr(` and `trf(` in `source`.
    fn literals(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for name in ["tr", "trf"] {
            let call = format!("{name}(");
            for (at, _) in source.match_indices(&call) {
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = source[at + call.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else { continue };
                let mut literal = String::new();
                let mut chars = rest.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => literal.push('\n'),
                            Some(other) => literal.push(other),
                            None => {}
                        },
                        c => literal.push(c),
                    }
                }
                found.push(literal);
            }
        }
        found
    }

    fn rust_files(folder: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(folder).expect("src/gui is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_translated_literal_is_in_the_table() {
        let gui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui");
        let mut files = Vec::new();
        rust_files(&gui, &mut files);
        let mut missing = Vec::new();
        let mut n_literals = 0;
        for file in &files {
            let source = std::fs::read_to_string(file).expect("source");
            for literal in literals(&source) {
                n_literals += 1;
                if !INDEX.contains_key(literal.as_str()) {
                    missing.push(format!("{}: {literal:?}", file.display()));
                }
            }
        }
        assert!(n_literals > 50, "the scan found only {n_literals} literals");
        assert!(missing.is_empty(), "not in the table:\n{}", missing.join("\n"));
    }
}

// The GUI instructions the backend agent gives (it "thinks users have a GUI", §1) and what the
// client offers instead (§13.2). Used by guiTranslate.ts, which decides how much text to remove.

export type GuiAction = 'export' | 'credits' | 'status';

export interface GuiPattern {
  re: RegExp;
  /** The action to offer; a function reads the matched words ("click Export" vs "click Billing"). */
  action: GuiAction | undefined | ((matched: string) => GuiAction | undefined);
  /**
   * 'start': only an instruction when it opens its clause ("Click Generate…"), because the verb alone
   * is common in content ("a hit song"). 'anywhere': specific enough to be an instruction anywhere;
   * text before it is kept ("Your video is ready, so click Export" -> "Your video is ready").
   */
  where: 'start' | 'anywhere';
}

/** Which action a GUI target names: export/download/save -> export, billing/credits -> credits, views -> status. */
export function actionForTarget(words: string): GuiAction | undefined {
  const w = words.toLowerCase();
  if (/export|download|save|render|导出|下载|保存|渲染/.test(w)) return 'export';
  if (/billing|credit|balance|top[\s-]?up|account|wallet|subscription|plan|dashboard|usage|账户|账单|积分|余额|充值|控制台/.test(w)) return 'credits';
  if (/preview|play|timeline|track|player|editor|canvas|panel|预览|播放|时间线|时间轴|轨道|编辑器|面板/.test(w)) return 'status';
  return undefined;
}

// Quotes, brackets and markdown emphasis around a button name: "Export", [Export], **Export**, `Export`.
const Q_OPEN = '(?:\\*\\*|__|["\'“‘\\[(«`*_])?';
const Q_CLOSE = '(?:\\*\\*|__|["\'”’\\])»`*_])?';
const VIEWS = '(?:timeline|player|preview|editor|canvas|video player|preview window|preview panel)';

export const EN_PATTERNS: GuiPattern[] = [
  // "click Export", "hit the 'Download' button" ("use the export of coffee" is content, so no "use" here)
  { re: new RegExp(`\\b(?:click|tap|press|hit)\\s+(?:on\\s+)?(?:the\\s+)?${Q_OPEN}(?:export|download|save|render)\\b`, 'i'), action: 'export', where: 'anywhere' },
  // "use the Export button", "via the Export button", "from the Export menu"
  { re: new RegExp(`\\b(?:clicking|tapping|pressing|hitting|use|using|via|with|through|from|find)\\s+(?:on\\s+)?(?:the\\s+)?${Q_OPEN}(?:export|download|save)${Q_CLOSE}\\s+(?:button|icon|option|menu|tab|panel|dialog)\\b`, 'i'), action: 'export', where: 'anywhere' },
  // "click the Upload button", "use the 'Generate' icon"
  { re: new RegExp(`\\b(?:click|tap|press|hit|use|using)\\s+(?:on\\s+)?(?:the\\s+)?(?:${Q_OPEN}[^"'”’\\])]{1,30}${Q_CLOSE}|[\\w-]+(?:\\s+[\\w-]+)?)\\s+(?:button|icon)\\b`, 'i'), action: actionForTarget, where: 'anywhere' },
  // "Click Generate", "click on the timeline", "Click the Settings tab" at the start of a clause. The target
  // must be capitalised, quoted or after "on"/"the": "click sounds" and "click track" are content.
  { re: /\b[Cc](?:lick|LICK)\s+(?:on\s+\S|(?:the\s+|your\s+)*(?:["'“‘[*_`]|\p{Lu}|here\b)).*$/u, action: actionForTarget, where: 'start' },
  // "Hit play", "Tap Generate": only with a UI target ("Press conference footage" is content)
  { re: /\b(?:tap|press|hit)\s+(?:on\s+)?(?:the\s+)?(?:\*\*|["'“‘`*_])?(?:export|download|save|render|generate|play|preview|upload|ok|confirm|apply|done|submit|send|share|publish|create|continue|next)\b.*$/i, action: actionForTarget, where: 'start' },
  // "Preview in Timeline panel", "watch it in the player", "check the result in the editor"
  // ("The preview in the player looks sharper" is a noun, not an instruction.)
  { re: new RegExp(`\\b(?:preview|watch|view|play|see|check(?:\\s+out)?|review|take a look)\\b(?<!\\b(?:the|a|an|your|this|that)\\s+(?:preview|watch|view|play|see|review))(?:\\s+(?:at\\s+)?(?:it|this|that|them|(?:the|your)\\s+[\\w-]+(?:\\s+[\\w-]+)?))?\\s+(?:in|on|from|using|with)\\s+(?:the\\s+)?${VIEWS}\\b`, 'i'), action: 'status', where: 'anywhere' },
  // "Preview it", "Preview the video" at the start of a clause ("Preview of the new iPhone" is content)
  { re: /\bpreview\b(?=\s*$|\s+(?:it|this|that|them|now|first|before|(?:the|your)\s+(?:video|result|changes?|draft|clip|edit)s?)\b)/i, action: 'status', where: 'start' },
  // "in the Timeline panel", "from the export dialog"
  { re: /\b(?:in|on|from|via|using)\s+(?:the\s+)?(?:timeline|preview|player|editor|properties|export|settings|media|assets?|effects|text|layers?)\s+(?:panel|window|tab|sidebar|area|section|view|pane|dialog)\b/i, action: actionForTarget, where: 'anywhere' },
  // "open the Export panel", "open your billing page"
  // ("an open window", "the door is open" are content.)
  { re: /\bopen(?<!\b(?:a|an|the|is|are|was|were|stays?|left|half|wide)\s+open)\s+(?:up\s+)?(?:the\s+|your\s+)?(?:[\w-]+\s+){0,2}?(?:panel|tab|editor|timeline|menu|sidebar|window|settings|dashboard|page|player|preview|dialog|library)\b/i, action: (m) => actionForTarget(m) ?? 'status', where: 'anywhere' },
  // "drag and drop", "drag the clip onto the track", "drop it into the timeline"
  { re: /\bdrag(?:[\s-]*(?:and|&|n)[\s-]*drop)?\s+(?:it|them|the|your|a|an|this|that|clips?|files?|media|to|into|onto)\b|\bdrag[\s-]*(?:and|&|n)[\s-]*drop\b/i, action: undefined, where: 'anywhere' },
  { re: /\bdrop\s+(?:it|them|the\s+[\w-]+)\s+(?:in|into|onto|on)\s+(?:the\s+)?(?:timeline|track|canvas|editor)\b/i, action: undefined, where: 'anywhere' },
  // "adjust it in the editor", "fine-tune the timing on the timeline", "manually trim"
  { re: /\b(?:adjust|fine-?tune|tweak|edit|modify|customi[sz]e|change|trim|move|reorder|rearrange|resize)\b[^,;.!?]{0,40}?\b(?:in|using|with|from|on)\s+(?:the\s+)?(?:editor|timeline|editing panel|edit panel|track editor|timeline editor)\b/i, action: undefined, where: 'anywhere' },
  { re: /\bmanually\s+(?:adjust|edit|change|trim|move|tweak)\b/i, action: undefined, where: 'anywhere' },
  // "check your account", "visit the billing page", "top up in your dashboard"
  { re: /\b(?:check|visit|see|view|review|go to|head to|navigate to|top up (?:in|on|at|from))\s+(?:your\s+|the\s+)?(?:account|billing|credits?|balance|subscription|plan|wallet|usage|dashboard)\b(?:\s+(?:page|settings|section|tab|dashboard|details|panel))?/i, action: 'credits', where: 'anywhere' },
  // "go to Settings", "head over to the dashboard"
  { re: /\b(?:go|head|navigate|switch)\s+(?:over\s+|back\s+)?to\s+(?:the\s+|your\s+)?(?:settings|dashboard|account|profile|billing|menu|home\s*page|workspace|editor|timeline|export page|preferences)\b/i, action: actionForTarget, where: 'anywhere' },
];

// Chinese has no word boundaries: a pattern runs to the end of its clause.
const ZH_REST = '[^，。！？；,.!?;]*';

export const ZH_PATTERNS: GuiPattern[] = [
  { re: new RegExp(`(?:使用|通过|用|按)?(?:导出按钮|导出键|下载按钮)${ZH_REST}`), action: 'export', where: 'anywhere' },
  // "点击量" / "点击率" (click count, click rate) are content.
  { re: new RegExp(`(?:点击|单击|点按|轻点)(?![量率数声])${ZH_REST}`), action: actionForTarget, where: 'anywhere' },
  { re: new RegExp(`(?:在|到|从)?(?:时间线|时间轴|预览|播放器|编辑器)(?:面板|窗口|区域|界面)?(?:中|里|上)?(?:预览|查看|播放)${ZH_REST}`), action: 'status', where: 'anywhere' },
  // "预览一下效果", "预览视频" as an instruction; "预览图已生成" (the preview image) is content.
  { re: new RegExp(`预览(?:一下|下)?(?:视频|效果|成片|它|结果|修改)?(?=\\s*(?:$|[，。！？,.!?；;]|吧|看看|并|然后|确认|检查))${ZH_REST}`), action: 'status', where: 'start' },
  // "打开一扇门" (a door opens in the shot) is content.
  { re: new RegExp(`打开(?!一[个扇张本])[^，。！？；,.!?;]{0,15}?(?:面板|窗口|编辑器|时间线|时间轴|设置|菜单|页面|界面|播放器|预览|控制台|账户|标签页?)${ZH_REST}`), action: (m) => actionForTarget(m) ?? 'status', where: 'anywhere' },
  { re: new RegExp(`(?:拖拽|拖动|拖放|拖到|拖入)${ZH_REST}`), action: undefined, where: 'anywhere' },
  { re: new RegExp(`(?:前往|进入|去|访问)(?:设置|控制台|后台|个人中心|账户|账单|充值)${ZH_REST}`), action: actionForTarget, where: 'anywhere' },
  { re: new RegExp(`(?:查看|检查)(?:您的|你的)?(?:账户|账单|余额|积分)${ZH_REST}`), action: 'credits', where: 'anywhere' },
  { re: new RegExp(`(?:在|到)编辑器(?:中|里)?${ZH_REST}`), action: undefined, where: 'anywhere' },
  { re: new RegExp(`手动(?:调整|修改|编辑|拖动)${ZH_REST}`), action: undefined, where: 'anywhere' },
];

/** Sentences that tell the user they may export now: kept as they are, but the Export action is offered. */
export const EXPORT_MENTION = /\b(?:you can|you could|you may|ready to|ready for|feel free to)\s+(?:now\s+)?(?:export|download)\b|可以导出|可以下载|导出吧|准备导出/i;

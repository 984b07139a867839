// Client-side intent routing (§13.1): export, credits, status and upload are handled by the client
// and never sent to the agent.
//
// The rule: a message is a client command only when the WHOLE message, after dropping politeness
// ("please", "can you", "请", "帮我", "吧"…) and end punctuation, is a short imperative from a closed
// grammar: a verb plus, optionally, an object like "it" / "the video" / "视频". Anything with more
// words is a content description and goes to the agent. So "export it" exports, while
// "make a video about how to export photos" or "add a download button animation" are agent requests.
// Mistakes on the agent side are cheap (the agent answers "click Export" and §13.2 turns that into an
// Export button); mistakes on the command side would swallow a creative request, so the grammar is strict.

export type Intent = { kind: 'export' } | { kind: 'credits' } | { kind: 'status' } | { kind: 'upload' } | { kind: 'agent' };

type CommandKind = Exclude<Intent['kind'], 'agent'>;

/** Commands are short; anything longer is a description, whatever words it contains. */
const MAX_COMMAND_CHARS = 80;

export function routeIntent(text: string): Intent {
  if (typeof text !== 'string' || text.length > MAX_COMMAND_CHARS * 4) return { kind: 'agent' };
  const normalized = normalize(text);
  if (normalized === '' || normalized.length > MAX_COMMAND_CHARS) return { kind: 'agent' };
  const kind = /\p{Script=Han}/u.test(normalized) ? matchChinese(normalized) : matchEnglish(normalized);
  return { kind: kind ?? 'agent' };
}

function normalize(text: string): string {
  return text
    .normalize('NFKC') // full-width letters and punctuation become ASCII ("ｅｘｐｏｒｔ！" -> "export!")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\p{Extended_Pictographic}\uFE0F\u200D]/gu, ' ') // "export 🎬"
    .replace(/^[\s/@]+/, '') // "/export", "@nemo export" keeps its verb after the mention is dropped below
    .replace(/[\s.!?,;:~…。！？，；：、~"“”]+$/u, '')
    .replace(/[,;:，；、]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// English

const EN_LEADING_FILLER = new RegExp(
  '^(?:' +
    [
      'nemo', 'please', 'pls', 'plz', 'kindly', 'ok(?:ay)?', 'hey', 'hi', 'yes', 'yeah', 'so', 'and', 'then', 'now', 'just',
      'great', 'nice', 'cool', 'perfect', 'awesome', 'good', 'thanks', 'thank you', 'alright', 'all right', 'go ahead and',
      'can you', 'could you', 'would you', 'will you', 'can we', 'could we', "let'?s", 'let us', 'go ahead',
      "i(?: want| need| would like|'d like| wanna| wish) to", 'i wanna', 'i want', 'i need',
      'can i', 'could i', 'may i', 'how (?:do|can|should) i', 'how to', 'time to', 'ready to',
    ].join('|') +
    ')\\b\\s*',
);
const EN_TRAILING_FILLER =
  /\s*\b(?:please|pls|plz|now|thanks|thank you|for me|right now|asap|again|then|too|already|real quick|quickly|for me please)$/;

const OBJECT = "(?:it|this|that|them|(?:(?:the|this|that|my|our|your)\\s+)?(?:final\\s+|finished\\s+|whole\\s+|current\\s+)?(?:video|videos|mp4|mp4 file|video file|file|clip|movie|result|cut|project|output|render|thing|one))";
const DESTINATION = '(?:\\s+(?:as|to|in|into|in to)\\s+(?:an?\\s+)?(?:mp4|mp4 file|video|file|my computer|my workspace|the workspace|workspace|my folder|the folder|disk|local|my disk|my machine))?(?:\\s+locally)?';
const LINK = '(?:(?:the|a|my)\\s+)?(?:download\\s+)?(?:link|url)';

const EN_RULES: Array<[CommandKind, RegExp]> = [
  ['export', new RegExp(`^(?:export|download|render)(?:\\s+${OBJECT})?${DESTINATION}$`)],
  ['export', new RegExp(`^(?:save|get|grab|fetch)\\s+${OBJECT}${DESTINATION}$`)],
  ['export', new RegExp(`^(?:send|give|get)(?:\\s+me)?\\s+(?:${OBJECT}|${LINK})(?:\\s+to me|\\s+over)?$`)],
  ['export', new RegExp(`^(?:send|give)\\s+(?:it|that|this)\\s+(?:to me|over)$`)],
  ['export', new RegExp(`^(?:download|export) ${LINK}$`)],
  ['export', /^(?:export|download) (?:it )?(?:as|to) mp4$/],

  ['credits', /^(?:credits?|balance|credit balance|my (?:credits?|balance)|remaining credits|credits? (?:left|remaining|balance))$/],
  ['credits', /^(?:check|show|see|view|get|display|what(?:'s| is| are)|tell me)(?: me)?(?: the| my| remaining| available| current)* (?:credits?|balance|credit balance|account balance)(?: left| remaining)?$/],
  ['credits', /^how many credits(?: (?:do i have|have i got|are left|left|remain|remaining|do i have left|are remaining))?$/],
  ['credits', /^how much (?:credit|balance|credits)(?: (?:do i have|is left|left|remaining|have i got))?$/],

  ['status', /^(?:status|state|progress|timeline|tracks|the timeline|the tracks|current status|track list|track summary)$/],
  ['status', /^(?:show|list|display|view|see|check|get|what(?:'s| is| are)|tell me)(?: me)?(?: the| my| our| current| video| project)* (?:status|state|progress|timeline|tracks|track list|tracks? summary|summary|draft)(?: of (?:the|my|this) (?:video|project|render|export))?(?: so far| now)?$/],
  ['status', /^(?:what|how) does it look(?: like)?(?: now| so far)?$/],
  ['status', /^what(?:'s| is) (?:in|on) the timeline$/],
  ['status', /^what do (?:we|i) have(?: so far)?$/],
  ['status', /^where are we(?: at)?$/],
  ['status', /^how(?:'s| is) it going$/],
  ['status', /^(?:is it|is the video) (?:done|ready|finished)(?: yet)?$/],
  ['status', /^any progress$/],

  ['upload', /^upload(?: (?:a|an|my|some|the|this|another|more))?(?: (?:file|files|video|videos|image|images|photo|photos|picture|pictures|clip|clips|music|song|audio|track|media|footage|logo|asset|assets|material|materials))?(?: from my computer)?$/],
  ['upload', /^attach(?: (?:a|an|my|some))? (?:file|files|video|image|photo|media)$/],
];

function matchEnglish(text: string): CommandKind | undefined {
  const core = stripFillers(text, EN_LEADING_FILLER, EN_TRAILING_FILLER);
  for (const [kind, rule] of EN_RULES) if (rule.test(core)) return kind;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Chinese (spaces are dropped first: "导出 视频" and "导出视频" are the same command)

const ZH_LEADING_FILLER = /^(?:nemo|请你?|麻烦你?|帮我|帮忙|给我|我要|我想要?|我需要|能不能|能否|可以|可不可以|你能|现在|那就|那|好的?|行|ok|okay|直接|马上|立即|再)/;
const ZH_TRAILING_FILLER = /(?:吧|了|呢|啊|呀|一下|下|吗|谢谢|好吗|可以吗|行吗|好不好|给我|出来|看看|吧谢谢)$/;

const ZH_OBJECT = '(?:这个视频|视频|影片|成片|作品|文件|这个|它|mp4|mp4文件|最终视频|video)';
const ZH_DESTINATION = '(?:成mp4|为mp4|到本地|到电脑|到工作区|到文件夹)?';

const ZH_RULES: Array<[CommandKind, RegExp]> = [
  ['export', new RegExp(`^(?:把${ZH_OBJECT})?(?:导出|下载|渲染|保存|输出)(?:一下)?${ZH_OBJECT}?${ZH_DESTINATION}$`)],
  ['export', new RegExp(`^${ZH_OBJECT}(?:导出|下载)$`)],
  // "给我" is a trailing filler, so "把视频发给我" arrives here as "把视频发".
  ['export', new RegExp(`^(?:把${ZH_OBJECT})?发(?:给我)?${ZH_OBJECT}?$`)],
  ['export', /^(?:下载链接|导出链接|视频链接)$/],

  ['credits', /^(?:查看|看看|查询|查一下|查|显示|看一下)?(?:我的|剩余|当前|账户)?(?:积分|余额|点数|额度)(?:还有多少|还剩多少|剩多少|多少|余额|情况)?$/],
  ['credits', /^(?:我)?还(?:有|剩)多少(?:积分|余额|点数|额度)$/],

  ['status', /^(?:查看|看看|看一下|显示|查询|查)?(?:当前|现在的?|视频的?|项目的?)?(?:状态|进度|时间线|时间轴|轨道|轨道信息)$/],
  // "现在" is also a leading filler, so these rules must match with and without it.
  ['status', /^(?:现在)?(?:是)?(?:什么样|啥样|怎么样|什么情况|进度如何)(?:子)?$/],
  ['status', /^(?:做得|进展|进行得)(?:怎么样|如何)$/],
  // "了"/"吗" are trailing fillers, so "视频好了吗" arrives here as "视频好".
  ['status', /^(?:视频)?(?:好|做好|完成)(?:了)?(?:没有|没)?$/],

  ['upload', /^上传(?:文件|视频|图片|照片|素材|音乐|音频|媒体|一个文件)?$/],
];

function matchChinese(text: string): CommandKind | undefined {
  const compact = text.replace(/\s+/g, '');
  const core = stripFillers(compact, ZH_LEADING_FILLER, ZH_TRAILING_FILLER);
  for (const [kind, rule] of ZH_RULES) if (rule.test(core)) return kind;
  return undefined;
}

/** Peels politeness from both ends until nothing more comes off ("ok please export it now thanks"). */
function stripFillers(text: string, leading: RegExp, trailing: RegExp): string {
  let current = text;
  for (let i = 0; i < 8; i++) {
    const next = current.replace(leading, '').replace(trailing, '').trim();
    if (next === current) break;
    current = next;
  }
  return current;
}

-- lisible-spans.lua: pandoc filter used by lisible/pdf.py with the typst writer.
--
-- Reassembled Markdown marks text that no person has reviewed with two spans
-- (see docs/design.md). pandoc's typst writer drops span classes and the lang
-- attribute, so this filter turns them into calls of functions defined in
-- lisible/templates/lisible.typ:
--
--   <span class="lisible-draft">…</span>              ->  #lisible-draft[…]
--   <span class="lisible-fallback" lang="fr">…</span>  ->  #lisible-fallback(lang: "fr")[…]
--   [texte]{lang=fr} (a translator's language mark)  ->  #text(lang: "fr")[…]
--
-- The template draws a bar in the margin beside marked text and sets the
-- language of fallback text, so hyphenation and screen readers use French.
--
-- Links whose text is not their address get the address printed after them:
-- on paper nobody can click.

local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function wrap(open, content)
  local result = { pandoc.RawInline('typst', open) }
  for _, item in ipairs(content) do
    table.insert(result, item)
  end
  -- "#{}" ends the call, so text after the span that starts with "[" or "("
  -- is not read as another argument.
  table.insert(result, pandoc.RawInline('typst', ']#{}'))
  return result
end

function Span(el)
  if el.classes:includes('lisible-explain') then
    return wrap('#lisible-explain[', el.content)
  end
  if el.classes:includes('lisible-draft') then
    return wrap('#lisible-draft[', el.content)
  end
  if el.classes:includes('lisible-fallback') then
    local lang = el.attributes['lang'] or 'fr'
    return wrap('#lisible-fallback(lang: ' .. typst_string(lang) .. ')[', el.content)
  end
  -- A translator's language mark, [texte]{lang=fr}: typst takes the language and
  -- the region apart (lang: "fr", region: "BE").
  local tag = el.attributes['lang']
  if tag and tag:match('^%a%a%a?$') or (tag and tag:match('^%a%a%a?%-%a%a$')) then
    local lang, region = tag:match('^(%a+)%-?(%a*)$')
    local args = 'lang: ' .. typst_string(lang:lower())
    if region ~= '' then
      args = args .. ', region: ' .. typst_string(region:upper())
    else
      args = args .. ', region: none'  -- not the document's region: "en", not "en-BE"
    end
    return wrap('#text(' .. args .. ')[', el.content)
  end
  return nil
end

-- The rule of lisible/safety.py, again at the last step: a link annotation
-- (/URI action) or an image only with http, https, mailto or a relative address.
local function safe_target(target)
  local plain = target:gsub('[%c%s]', ''):lower()
  local scheme = plain:match('^(%a[%w+.%-]*):')
  return scheme == nil or scheme == 'http' or scheme == 'https' or scheme == 'mailto'
end

function Image(el)
  if not safe_target(el.src) then
    return el.caption
  end
  return nil
end

function Link(el)
  local target = el.target
  if not safe_target(target) then
    return el.content
  end
  if not (target:match('^https?://') or target:match('^mailto:')) then
    return nil
  end
  local shown = pandoc.utils.stringify(el.content)
  local bare = target:gsub('^mailto:', '')
  if shown == target or shown == bare then
    return nil
  end
  return { el, pandoc.Str(' ('), pandoc.Link(bare, target), pandoc.Str(')') }
end

-- Easy-read explanations: the paragraph after a sentence with a word in bold,
--   <span class="lisible-explain">…</span>  ->  #lisible-explain[…]
-- is set in a box under it, and kept on the same page as that sentence.
--
-- Pictograms (images of class lisible-picto): the template looks each one up by its
-- address in the SVGs lisible/pdf.py passes in, so a missing file prints
-- the sentence without it instead of stopping Typst. A picture that opens a
-- paragraph stands left of the sentence:
--
--   ![](pictograms/1F4F1.svg){.lisible-picto} Texte.  ->  #lisible-picto-par("…", "")[Texte.]
--
-- An empty alternative text makes the picture decorative (an artifact).

local function picto_args(img)
  return typst_string(img.src) .. ', ' .. typst_string(pandoc.utils.stringify(img.caption))
end

local function is_picto(item)
  return item and item.t == 'Image' and item.classes:includes('lisible-picto')
end

function Image(img)
  if not is_picto(img) then
    return nil
  end
  return pandoc.RawInline('typst', '#lisible-picto(' .. picto_args(img) .. ')')
end

local function leading_image(content)
  local i = 1
  while content[i] and (content[i].t == 'Space' or content[i].t == 'SoftBreak') do
    i = i + 1
  end
  if is_picto(content[i]) then
    return content[i], i
  end
  return nil
end

local function picto_paragraph(block)
  local img, at = leading_image(block.content)
  if not img then
    return nil
  end
  local rest = {}
  for j = at + 1, #block.content do
    table.insert(rest, block.content[j])
  end
  while rest[1] and (rest[1].t == 'Space' or rest[1].t == 'SoftBreak') do
    table.remove(rest, 1)
  end
  return pandoc.Para(wrap('#lisible-picto-par(' .. picto_args(img) .. ')[', rest))
end

-- A paragraph that is only a word in bold starts a glossary entry: it and
-- the paragraphs explaining it, up to the next entry or heading, are kept on
-- one page (at most three paragraphs, so a bold sentence in the text never
-- holds a whole page together).
-- A paragraph holding exactly one inline that `wanted` accepts, and spaces.
local function only_one(block, wanted)
  if not block or block.t ~= 'Para' then
    return false
  end
  local found = 0
  for _, item in ipairs(block.content) do
    if wanted(item) then
      found = found + 1
    elseif item.t ~= 'Space' and item.t ~= 'SoftBreak' then
      return false
    end
  end
  return found == 1
end

local function is_term(block)
  return only_one(block, function(item) return item.t == 'Strong' end)
end

local function is_explanation(block)
  return only_one(block, function(item)
    return item.t == 'Span' and item.classes:includes('lisible-explain')
  end)
end

local function keep_entries(blocks)
  local result = {}
  local i = 1
  while i <= #blocks do
    local block = blocks[i]
    if block.t == 'Para' and is_explanation(blocks[i + 1]) then
      table.insert(result, pandoc.RawBlock('typst', '#lisible-keep['))
      table.insert(result, block)
      table.insert(result, blocks[i + 1])
      table.insert(result, pandoc.RawBlock('typst', ']'))
      i = i + 2
    elseif is_term(block) and blocks[i + 1] and blocks[i + 1].t == 'Para' then
      table.insert(result, pandoc.RawBlock('typst', '#lisible-keep['))
      table.insert(result, block)
      i = i + 1
      local kept = 0  -- an entry is short: never hold more than three paragraphs
      while kept < 3 and blocks[i] and blocks[i].t == 'Para' and not is_term(blocks[i]) do
        kept = kept + 1
        table.insert(result, blocks[i])
        i = i + 1
      end
      table.insert(result, pandoc.RawBlock('typst', ']'))
    else
      table.insert(result, block)
      i = i + 1
    end
  end
  return result
end

-- Groups are found on the Markdown's own elements, then pictures are read
-- before Images and Spans are replaced: the passes run in this order.
local function paragraphs(block)
  if block.t == 'Para' then
    return picto_paragraph(block)
  end
  return nil
end

return {
  { Blocks = keep_entries },
  { Para = paragraphs },
  { Span = Span, Link = Link, Image = Image },
}

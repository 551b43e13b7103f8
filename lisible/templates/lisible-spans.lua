-- lisible-spans.lua: pandoc filter used by lisible/pdf.py with the typst writer.
--
-- Reassembled Markdown marks text that no person has reviewed with two spans
-- (see docs/design.md). pandoc's typst writer drops span classes and the lang
-- attribute, so this filter turns them into calls of functions defined in
-- lisible/templates/lisible.typ:
--
--   <span class="lisible-draft">…</span>              ->  #lisible-draft[…]
--   <span class="lisible-fallback" lang="fr">…</span>  ->  #lisible-fallback(lang: "fr")[…]
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
  if el.classes:includes('lisible-draft') then
    return wrap('#lisible-draft[', el.content)
  end
  if el.classes:includes('lisible-fallback') then
    local lang = el.attributes['lang'] or 'fr'
    return wrap('#lisible-fallback(lang: ' .. typst_string(lang) .. ')[', el.content)
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

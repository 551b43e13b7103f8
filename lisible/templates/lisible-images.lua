-- Images for the typst writer, with their alt text (PDF/UA-1 requires it).
-- Pandoc's typst writer drops an image's description; this filter writes the
-- image itself, as `image("media/<slug>/…", alt: "…")`, the path relative to
-- build/ (typst's root in the pdf stage). The alt text is the Markdown's
-- ![alt](…); an image with none gets an empty alt, which typst then rejects:
-- a missing description is an error to fix in the source, never a silent gap.

local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

function Image(img)
  local args = { typst_string(img.src), 'alt: ' .. typst_string(pandoc.utils.stringify(img.caption)) }
  local width = img.attributes.width
  if width and width:match('^[%d.]+%a*%%?$') and (width:match('%a$') or width:match('%%$')) then
    table.insert(args, 'width: ' .. width)
  end
  return pandoc.RawInline('typst', '#box(image(' .. table.concat(args, ', ') .. '))')
end

FROM alpine:3.20
RUN apk add --no-cache \
    pkg-0000 \
    # group 0
    pkg-0001 \
    pkg-0002 \
    pkg-0003 \
    pkg-0004 \
    pkg-0005 \
    pkg-0006 \
    pkg-0007 \
    pkg-0008 \
    pkg-0009 \
    pkg-0010 \
    pkg-0011 \
    pkg-0012 \
    pkg-0013 \
    pkg-0014 \
    pkg-0015 \
    pkg-0016 \
    pkg-0017 \
    pkg-0018 \
    pkg-0019 \
    pkg-0020 \
    pkg-0021 \
    pkg-0022 \
    pkg-0023 \
    pkg-0024 \
    pkg-0025 \
    pkg-0026 \
    pkg-0027 \
    pkg-0028 \
    pkg-0029 \
    pkg-0030 \
    pkg-0031 \
    pkg-0032 \
    pkg-0033 \
    pkg-0034 \
    pkg-0035 \
    pkg-0036 \
    pkg-0037 \
    pkg-0038 \
    pkg-0039 \
    pkg-0040 \
    pkg-0041 \
    pkg-0042 \
    pkg-0043 \
    pkg-0044 \
    pkg-0045 \
    pkg-0046 \
    pkg-0047 \
    pkg-0048 \
    pkg-0049 \
    pkg-0050 \
    pkg-0051 \
    pkg-0052 \
    pkg-0053 \
    pkg-0054 \
    pkg-0055 \
    pkg-0056 \
    pkg-0057 \
    pkg-0058 \
    pkg-0059 \
    pkg-0060 \
    pkg-0061 \
    pkg-0062 \
    pkg-0063 \
    pkg-0064 \
    pkg-0065 \
    pkg-0066 \
    pkg-0067 \
    pkg-0068 \
    pkg-0069 \
    pkg-0070 \
    pkg-0071 \
    pkg-0072 \
    pkg-0073 \
    pkg-0074 \
    pkg-0075 \
    pkg-0076 \
    pkg-0077 \
    pkg-0078 \
    pkg-0079 \
    pkg-0080 \
    pkg-0081 \
    pkg-0082 \
    pkg-0083 \
    pkg-0084 \
    pkg-0085 \
    pkg-0086 \
    pkg-0087 \
    pkg-0088 \
    pkg-0089 \
    pkg-0090 \
    pkg-0091 \
    pkg-0092 \
    pkg-0093 \
    pkg-0094 \
    pkg-0095 \
    pkg-0096 \
    pkg-0097 \
    # group 1
    pkg-0098 \
    pkg-0099 \
    pkg-0100 \
    pkg-0101 \
    pkg-0102 \
    pkg-0103 \
    pkg-0104 \
    pkg-0105 \
    pkg-0106 \
    pkg-0107 \
    pkg-0108 \
    pkg-0109 \
    pkg-0110 \
    pkg-0111 \
    pkg-0112 \
    pkg-0113 \
    pkg-0114 \
    pkg-0115 \
    pkg-0116 \
    pkg-0117 \
    pkg-0118 \
    pkg-0119 \
    pkg-0120 \
    pkg-0121 \
    pkg-0122 \
    pkg-0123 \
    pkg-0124 \
    pkg-0125 \
    pkg-0126 \
    pkg-0127 \
    pkg-0128 \
    pkg-0129 \
    pkg-0130 \
    pkg-0131 \
    pkg-0132 \
    pkg-0133 \
    pkg-0134 \
    pkg-0135 \
    pkg-0136 \
    pkg-0137 \
    pkg-0138 \
    pkg-0139 \
    pkg-0140 \
    pkg-0141 \
    pkg-0142 \
    pkg-0143 \
    pkg-0144 \
    pkg-0145 \
    pkg-0146 \
    pkg-0147 \
    pkg-0148 \
    pkg-0149 \
    pkg-0150 \
    pkg-0151 \
    pkg-0152 \
    pkg-0153 \
    pkg-0154 \
    pkg-0155 \
    pkg-0156 \
    pkg-0157 \
    pkg-0158 \
    pkg-0159 \
    pkg-0160 \
    pkg-0161 \
    pkg-0162 \
    pkg-0163 \
    pkg-0164 \
    pkg-0165 \
    pkg-0166 \
    pkg-0167 \
    pkg-0168 \
    pkg-0169 \
    pkg-0170 \
    pkg-0171 \
    pkg-0172 \
    pkg-0173 \
    pkg-0174 \
    pkg-0175 \
    pkg-0176 \
    pkg-0177 \
    pkg-0178 \
    pkg-0179 \
    pkg-0180 \
    pkg-0181 \
    pkg-0182 \
    pkg-0183 \
    pkg-0184 \
    pkg-0185 \
    pkg-0186 \
    pkg-0187 \
    pkg-0188 \
    pkg-0189 \
    pkg-0190 \
    pkg-0191 \
    pkg-0192 \
    pkg-0193 \
    pkg-0194 \
    # group 2
    pkg-0195 \
    pkg-0196 \
    pkg-0197 \
    pkg-0198 \
    pkg-0199 \
    pkg-0200 \
    pkg-0201 \
    pkg-0202 \
    pkg-0203 \
    pkg-0204 \
    pkg-0205 \
    pkg-0206 \
    pkg-0207 \
    pkg-0208 \
    pkg-0209 \
    pkg-0210 \
    pkg-0211 \
    pkg-0212 \
    pkg-0213 \
    pkg-0214 \
    pkg-0215 \
    pkg-0216 \
    pkg-0217 \
    pkg-0218 \
    pkg-0219 \
    pkg-0220 \
    pkg-0221 \
    pkg-0222 \
    pkg-0223 \
    pkg-0224 \
    pkg-0225 \
    pkg-0226 \
    pkg-0227 \
    pkg-0228 \
    pkg-0229 \
    pkg-0230 \
    pkg-0231 \
    pkg-0232 \
    pkg-0233 \
    pkg-0234 \
    pkg-0235 \
    pkg-0236 \
    pkg-0237 \
    pkg-0238 \
    pkg-0239 \
    pkg-0240 \
    pkg-0241 \
    pkg-0242 \
    pkg-0243 \
    pkg-0244 \
    pkg-0245 \
    pkg-0246 \
    pkg-0247 \
    pkg-0248 \
    pkg-0249 \
    pkg-0250 \
    pkg-0251 \
    pkg-0252 \
    pkg-0253 \
    pkg-0254 \
    pkg-0255 \
    pkg-0256 \
    pkg-0257 \
    pkg-0258 \
    pkg-0259 \
    pkg-0260 \
    pkg-0261 \
    pkg-0262 \
    pkg-0263 \
    pkg-0264 \
    pkg-0265 \
    pkg-0266 \
    pkg-0267 \
    pkg-0268 \
    pkg-0269 \
    pkg-0270 \
    pkg-0271 \
    pkg-0272 \
    pkg-0273 \
    pkg-0274 \
    pkg-0275 \
    pkg-0276 \
    pkg-0277 \
    pkg-0278 \
    pkg-0279 \
    pkg-0280 \
    pkg-0281 \
    pkg-0282 \
    pkg-0283 \
    pkg-0284 \
    pkg-0285 \
    pkg-0286 \
    pkg-0287 \
    pkg-0288 \
    pkg-0289 \
    pkg-0290 \
    pkg-0291 \
    # group 3
    pkg-0292 \
    pkg-0293 \
    pkg-0294 \
    pkg-0295 \
    pkg-0296 \
    pkg-0297 \
    pkg-0298 \
    pkg-0299 \
    pkg-0300 \
    pkg-0301 \
    pkg-0302 \
    pkg-0303 \
    pkg-0304 \
    pkg-0305 \
    pkg-0306 \
    pkg-0307 \
    pkg-0308 \
    pkg-0309 \
    pkg-0310 \
    pkg-0311 \
    pkg-0312 \
    pkg-0313 \
    pkg-0314 \
    pkg-0315 \
    pkg-0316 \
    pkg-0317 \
    pkg-0318 \
    pkg-0319 \
    pkg-0320 \
    pkg-0321 \
    pkg-0322 \
    pkg-0323 \
    pkg-0324 \
    pkg-0325 \
    pkg-0326 \
    pkg-0327 \
    pkg-0328 \
    pkg-0329 \
    pkg-0330 \
    pkg-0331 \
    pkg-0332 \
    pkg-0333 \
    pkg-0334 \
    pkg-0335 \
    pkg-0336 \
    pkg-0337 \
    pkg-0338 \
    pkg-0339 \
    pkg-0340 \
    pkg-0341 \
    pkg-0342 \
    pkg-0343 \
    pkg-0344 \
    pkg-0345 \
    pkg-0346 \
    pkg-0347 \
    pkg-0348 \
    pkg-0349 \
    pkg-0350 \
    pkg-0351 \
    pkg-0352 \
    pkg-0353 \
    pkg-0354 \
    pkg-0355 \
    pkg-0356 \
    pkg-0357 \
    pkg-0358 \
    pkg-0359 \
    pkg-0360 \
    pkg-0361 \
    pkg-0362 \
    pkg-0363 \
    pkg-0364 \
    pkg-0365 \
    pkg-0366 \
    pkg-0367 \
    pkg-0368 \
    pkg-0369 \
    pkg-0370 \
    pkg-0371 \
    pkg-0372 \
    pkg-0373 \
    pkg-0374 \
    pkg-0375 \
    pkg-0376 \
    pkg-0377 \
    pkg-0378 \
    pkg-0379 \
    pkg-0380 \
    pkg-0381 \
    pkg-0382 \
    pkg-0383 \
    pkg-0384 \
    pkg-0385 \
    pkg-0386 \
    pkg-0387 \
    pkg-0388 \
    # group 4
    pkg-0389 \
    pkg-0390 \
    pkg-0391 \
    pkg-0392 \
    pkg-0393 \
    pkg-0394 \
    pkg-0395 \
    pkg-0396 \
    pkg-0397 \
    pkg-0398 \
    pkg-0399 \
    pkg-0400 \
    pkg-0401 \
    pkg-0402 \
    pkg-0403 \
    pkg-0404 \
    pkg-0405 \
    pkg-0406 \
    pkg-0407 \
    pkg-0408 \
    pkg-0409 \
    pkg-0410 \
    pkg-0411 \
    pkg-0412 \
    pkg-0413 \
    pkg-0414 \
    pkg-0415 \
    pkg-0416 \
    pkg-0417 \
    pkg-0418 \
    pkg-0419 \
    pkg-0420 \
    pkg-0421 \
    pkg-0422 \
    pkg-0423 \
    pkg-0424 \
    pkg-0425 \
    pkg-0426 \
    pkg-0427 \
    pkg-0428 \
    pkg-0429 \
    pkg-0430 \
    pkg-0431 \
    pkg-0432 \
    pkg-0433 \
    pkg-0434 \
    pkg-0435 \
    pkg-0436 \
    pkg-0437 \
    pkg-0438 \
    pkg-0439 \
    pkg-0440 \
    pkg-0441 \
    pkg-0442 \
    pkg-0443 \
    pkg-0444 \
    pkg-0445 \
    pkg-0446 \
    pkg-0447 \
    pkg-0448 \
    pkg-0449 \
    pkg-0450 \
    pkg-0451 \
    pkg-0452 \
    pkg-0453 \
    pkg-0454 \
    pkg-0455 \
    pkg-0456 \
    pkg-0457 \
    pkg-0458 \
    pkg-0459 \
    pkg-0460 \
    pkg-0461 \
    pkg-0462 \
    pkg-0463 \
    pkg-0464 \
    pkg-0465 \
    pkg-0466 \
    pkg-0467 \
    pkg-0468 \
    pkg-0469 \
    pkg-0470 \
    pkg-0471 \
    pkg-0472 \
    pkg-0473 \
    pkg-0474 \
    pkg-0475 \
    pkg-0476 \
    pkg-0477 \
    pkg-0478 \
    pkg-0479 \
    pkg-0480 \
    pkg-0481 \
    pkg-0482 \
    pkg-0483 \
    pkg-0484 \
    pkg-0485 \
    # group 5
    pkg-0486 \
    pkg-0487 \
    pkg-0488 \
    pkg-0489 \
    pkg-0490 \
    pkg-0491 \
    pkg-0492 \
    pkg-0493 \
    pkg-0494 \
    pkg-0495 \
    pkg-0496 \
    pkg-0497 \
    pkg-0498 \
    pkg-0499 \
    pkg-0500 \
    pkg-0501 \
    pkg-0502 \
    pkg-0503 \
    pkg-0504 \
    pkg-0505 \
    pkg-0506 \
    pkg-0507 \
    pkg-0508 \
    pkg-0509 \
    pkg-0510 \
    pkg-0511 \
    pkg-0512 \
    pkg-0513 \
    pkg-0514 \
    pkg-0515 \
    pkg-0516 \
    pkg-0517 \
    pkg-0518 \
    pkg-0519 \
    pkg-0520 \
    pkg-0521 \
    pkg-0522 \
    pkg-0523 \
    pkg-0524 \
    pkg-0525 \
    pkg-0526 \
    pkg-0527 \
    pkg-0528 \
    pkg-0529 \
    pkg-0530 \
    pkg-0531 \
    pkg-0532 \
    pkg-0533 \
    pkg-0534 \
    pkg-0535 \
    pkg-0536 \
    pkg-0537 \
    pkg-0538 \
    pkg-0539 \
    pkg-0540 \
    pkg-0541 \
    pkg-0542 \
    pkg-0543 \
    pkg-0544 \
    pkg-0545 \
    pkg-0546 \
    pkg-0547 \
    pkg-0548 \
    pkg-0549 \
    pkg-0550 \
    pkg-0551 \
    pkg-0552 \
    pkg-0553 \
    pkg-0554 \
    pkg-0555 \
    pkg-0556 \
    pkg-0557 \
    pkg-0558 \
    pkg-0559 \
    pkg-0560 \
    pkg-0561 \
    pkg-0562 \
    pkg-0563 \
    pkg-0564 \
    pkg-0565 \
    pkg-0566 \
    pkg-0567 \
    pkg-0568 \
    pkg-0569 \
    pkg-0570 \
    pkg-0571 \
    pkg-0572 \
    pkg-0573 \
    pkg-0574 \
    pkg-0575 \
    pkg-0576 \
    pkg-0577 \
    pkg-0578 \
    pkg-0579 \
    pkg-0580 \
    pkg-0581 \
    pkg-0582 \
    # group 6
    pkg-0583 \
    pkg-0584 \
    pkg-0585 \
    pkg-0586 \
    pkg-0587 \
    pkg-0588 \
    pkg-0589 \
    pkg-0590 \
    pkg-0591 \
    pkg-0592 \
    pkg-0593 \
    pkg-0594 \
    pkg-0595 \
    pkg-0596 \
    pkg-0597 \
    pkg-0598 \
    pkg-0599 \
    pkg-final
RUN echo step0 \
    && echo step1 \
    && echo step2 \
    && echo step3 \
    && echo step4 \
    && echo step5 \
    && echo step6 \
    && echo step7 \
    && echo step8 \
    && echo step9 \
    && echo step10 \
    && echo step11 \
    && echo step12 \
    && echo step13 \
    && echo step14 \
    && echo step15 \
    && echo step16 \
    && echo step17 \
    && echo step18 \
    && echo step19 \
    && echo step20 \
    && echo step21 \
    && echo step22 \
    && echo step23 \
    && echo step24 \
    && echo step25 \
    && echo step26 \
    && echo step27 \
    && echo step28 \
    && echo step29 \
    && echo step30 \
    && echo step31 \
    && echo step32 \
    && echo step33 \
    && echo step34 \
    && echo step35 \
    && echo step36 \
    && echo step37 \
    && echo step38 \
    && echo step39 \
    && echo step40 \
    && echo step41 \
    && echo step42 \
    && echo step43 \
    && echo step44 \
    && echo step45 \
    && echo step46 \
    && echo step47 \
    && echo step48 \
    && echo step49 \
    && echo step50 \
    && echo step51 \
    && echo step52 \
    && echo step53 \
    && echo step54 \
    && echo step55 \
    && echo step56 \
    && echo step57 \
    && echo step58 \
    && echo step59 \
    && echo step60 \
    && echo step61 \
    && echo step62 \
    && echo step63 \
    && echo step64 \
    && echo step65 \
    && echo step66 \
    && echo step67 \
    && echo step68 \
    && echo step69 \
    && echo step70 \
    && echo step71 \
    && echo step72 \
    && echo step73 \
    && echo step74 \
    && echo step75 \
    && echo step76 \
    && echo step77 \
    && echo step78 \
    && echo step79 \
    && echo step80 \
    && echo step81 \
    && echo step82 \
    && echo step83 \
    && echo step84 \
    && echo step85 \
    && echo step86 \
    && echo step87 \
    && echo step88 \
    && echo step89 \
    && echo step90 \
    && echo step91 \
    && echo step92 \
    && echo step93 \
    && echo step94 \
    && echo step95 \
    && echo step96 \
    && echo step97 \
    && echo step98 \
    && echo step99 \
    && echo step100 \
    && echo step101 \
    && echo step102 \
    && echo step103 \
    && echo step104 \
    && echo step105 \
    && echo step106 \
    && echo step107 \
    && echo step108 \
    && echo step109 \
    && echo step110 \
    && echo step111 \
    && echo step112 \
    && echo step113 \
    && echo step114 \
    && echo step115 \
    && echo step116 \
    && echo step117 \
    && echo step118 \
    && echo step119 \
    && echo step120 \
    && echo step121 \
    && echo step122 \
    && echo step123 \
    && echo step124 \
    && echo step125 \
    && echo step126 \
    && echo step127 \
    && echo step128 \
    && echo step129 \
    && echo step130 \
    && echo step131 \
    && echo step132 \
    && echo step133 \
    && echo step134 \
    && echo step135 \
    && echo step136 \
    && echo step137 \
    && echo step138 \
    && echo step139 \
    && echo step140 \
    && echo step141 \
    && echo step142 \
    && echo step143 \
    && echo step144 \
    && echo step145 \
    && echo step146 \
    && echo step147 \
    && echo step148 \
    && echo step149 \
    && echo step150 \
    && echo step151 \
    && echo step152 \
    && echo step153 \
    && echo step154 \
    && echo step155 \
    && echo step156 \
    && echo step157 \
    && echo step158 \
    && echo step159 \
    && echo step160 \
    && echo step161 \
    && echo step162 \
    && echo step163 \
    && echo step164 \
    && echo step165 \
    && echo step166 \
    && echo step167 \
    && echo step168 \
    && echo step169 \
    && echo step170 \
    && echo step171 \
    && echo step172 \
    && echo step173 \
    && echo step174 \
    && echo step175 \
    && echo step176 \
    && echo step177 \
    && echo step178 \
    && echo step179 \
    && echo step180 \
    && echo step181 \
    && echo step182 \
    && echo step183 \
    && echo step184 \
    && echo step185 \
    && echo step186 \
    && echo step187 \
    && echo step188 \
    && echo step189 \
    && echo step190 \
    && echo step191 \
    && echo step192 \
    && echo step193 \
    && echo step194 \
    && echo step195 \
    && echo step196 \
    && echo step197 \
    && echo step198 \
    && echo step199 \
    && echo step200 \
    && echo step201 \
    && echo step202 \
    && echo step203 \
    && echo step204 \
    && echo step205 \
    && echo step206 \
    && echo step207 \
    && echo step208 \
    && echo step209 \
    && echo step210 \
    && echo step211 \
    && echo step212 \
    && echo step213 \
    && echo step214 \
    && echo step215 \
    && echo step216 \
    && echo step217 \
    && echo step218 \
    && echo step219 \
    && echo step220 \
    && echo step221 \
    && echo step222 \
    && echo step223 \
    && echo step224 \
    && echo step225 \
    && echo step226 \
    && echo step227 \
    && echo step228 \
    && echo step229 \
    && echo step230 \
    && echo step231 \
    && echo step232 \
    && echo step233 \
    && echo step234 \
    && echo step235 \
    && echo step236 \
    && echo step237 \
    && echo step238 \
    && echo step239 \
    && echo step240 \
    && echo step241 \
    && echo step242 \
    && echo step243 \
    && echo step244 \
    && echo step245 \
    && echo step246 \
    && echo step247 \
    && echo step248 \
    && echo step249 \
    && echo step250 \
    && echo step251 \
    && echo step252 \
    && echo step253 \
    && echo step254 \
    && echo step255 \
    && echo step256 \
    && echo step257 \
    && echo step258 \
    && echo step259 \
    && echo step260 \
    && echo step261 \
    && echo step262 \
    && echo step263 \
    && echo step264 \
    && echo step265 \
    && echo step266 \
    && echo step267 \
    && echo step268 \
    && echo step269 \
    && echo step270 \
    && echo step271 \
    && echo step272 \
    && echo step273 \
    && echo step274 \
    && echo step275 \
    && echo step276 \
    && echo step277 \
    && echo step278 \
    && echo step279 \
    && echo step280 \
    && echo step281 \
    && echo step282 \
    && echo step283 \
    && echo step284 \
    && echo step285 \
    && echo step286 \
    && echo step287 \
    && echo step288 \
    && echo step289 \
    && echo step290 \
    && echo step291 \
    && echo step292 \
    && echo step293 \
    && echo step294 \
    && echo step295 \
    && echo step296 \
    && echo step297 \
    && echo step298 \
    && echo step299

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!--
What Qt's own qtbase_zh_CN.qm lacks for the dialogs the desk uses (Qt 6 changed these
source strings, e.g. "Look in:" became "&Look in:", and the Chinese catalogue kept the
old ones). Written by hand; loaded after qtbase_zh_CN.qm so it wins where both answer.
To find what is missing: tests/ui/test_i18n.py opens Qt's file, print and page-setup
dialogs in Chinese and lists every text that is still in English.
-->
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message>
        <source>Page &amp;Set:</source>
        <translation>打印页面(&amp;S)：</translation>
    </message>
</context>
<context>
    <name>QPrintWidget</name>
    <message>
        <source>...</source>
        <translation>浏览…</translation>
    </message>
</context>
<context>
    <name>QPageSetupWidget</name>
    <message>
        <source>Page &amp;order:</source>
        <translation>页面顺序(&amp;O)：</translation>
    </message>
    <message>
        <source>Pages &amp;per sheet:</source>
        <translation>每张页数(&amp;P)：</translation>
    </message>
</context>
<context>
    <name>QCupsJobWidget</name>
    <message>
        <source>Job &amp;priority:</source>
        <translation>作业优先级(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Billing information:</source>
        <translation>计费信息(&amp;B)：</translation>
    </message>
    <message>
        <source>Scheduled &amp;printing:</source>
        <translation>定时打印(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Start:</source>
        <translation>开始(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;End:</source>
        <translation>结束(&amp;E)：</translation>
    </message>
</context>
</TS>
